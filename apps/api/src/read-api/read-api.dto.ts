import { BadRequestException, type PipeTransform, ValidationPipe } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { RANKED_FIGURES } from '@pool/projections';
import { DEFAULT_LIMIT, MAX_LIMIT } from './paging';

/**
 * Query strings are validated and converted by class-validator; anything not declared here is refused, so a
 * misspelt parameter (`?limt=5`) is a 400 instead of being silently ignored.
 */
export const readApiValidationPipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });

export class CursorPageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: 'rows per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page, unchanged (omit for the first page)' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^[A-Za-z0-9_-]*$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export const BLOCK_STATUSES = ['detected', 'absorbed', 'reverted'] as const;
export const PAYOUT_STATUSES = ['planned', 'sent', 'confirmed', 'failed'] as const;
export const PARTIAL_STATUSES = ['submitted', 'confirmed', 'reverted'] as const;

export class BlocksQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({ enum: BLOCK_STATUSES, description: 'only rewards in this state' })
  @IsOptional()
  @IsIn(BLOCK_STATUSES)
  status?: (typeof BLOCK_STATUSES)[number];
}

export class PayoutsQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({ enum: PAYOUT_STATUSES, description: 'only payouts in this state' })
  @IsOptional()
  @IsIn(PAYOUT_STATUSES)
  status?: (typeof PAYOUT_STATUSES)[number];
}

export class PartialsQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({ enum: PARTIAL_STATUSES, description: 'submitted = accepted and waiting for confirmation' })
  @IsOptional()
  @IsIn(PARTIAL_STATUSES)
  status?: (typeof PARTIAL_STATUSES)[number];
}

/** The figures farmer_view ranks farmers by. */
export const LEADERBOARD_SORTS = RANKED_FIGURES;

export class LeaderboardQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1, description: '1-based page number' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ enum: LEADERBOARD_SORTS, default: 'points_24h', description: 'ranked by this figure, largest first' })
  @IsOptional()
  @IsIn(LEADERBOARD_SORTS)
  sort?: (typeof LEADERBOARD_SORTS)[number];
}

export class PoolHourlyQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 24 * 31, default: 48, description: 'the newest this many ledger hours' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 31)
  hours?: number;
}

export const TIMELINE_RESOLUTIONS = ['hour', 'day'] as const;

export class TimelineQueryDto {
  @ApiPropertyOptional({ enum: TIMELINE_RESOLUTIONS, default: 'hour', description: 'hour: the retention window (7 days by default); day: all history' })
  @IsOptional()
  @IsIn(TIMELINE_RESOLUTIONS)
  resolution?: (typeof TIMELINE_RESOLUTIONS)[number];
}

/** A launcher id in the path: 32 bytes of hex, `0x` optional, any case; normalised to lower-case hex. */
export class LauncherIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const hex = String(value).replace(/^0x/i, '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new BadRequestException('launcherId must be 32 bytes of hex (64 characters, 0x optional)');
    return hex;
  }
}

/** Payout ids as the saga names them (payout-00000001); anything else cannot exist. */
export class PayoutIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(String(value))) throw new BadRequestException('payout id must be 1 to 64 letters, digits, - or _');
    return String(value);
  }
}
