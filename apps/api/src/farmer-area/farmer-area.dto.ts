import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { NOTIFICATION_KINDS, NOTIFICATION_TARGET_KINDS, type NotificationKind, type NotificationTargetKind } from '@pool/notifications';
import { ValidationPipe } from '@nestjs/common';

/** Bodies are checked field by field; an unknown field is refused rather than ignored. */
export const farmerAreaValidationPipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });

export class FarmerSettingsDto {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'shown on the leaderboard; blank or null removes it (rules: farmer-settings.ts)' })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @IsString()
  @MaxLength(200)
  displayName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: "mojos as a decimal string, at or above the pool's minimum; null: the pool's" })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @IsString()
  @Matches(/^\d{1,20}$/, { message: 'minimumPayout must be a whole number of mojos as a decimal string' })
  minimumPayout?: string | null;
}

export class EndSessionDto {
  @ApiProperty({ description: 'the handle the session list shows' })
  @IsString()
  @Matches(/^[0-9a-f]{16}$/, { message: 'handle must be the 16 hex characters the session list shows' })
  handle!: string;
}

export class NewNotificationTargetDto {
  @ApiProperty({ enum: NOTIFICATION_TARGET_KINDS })
  @IsIn(NOTIFICATION_TARGET_KINDS)
  kind!: NotificationTargetKind;

  @ApiProperty({ description: 'an e-mail address, an https URL (Discord, webhook) or <botToken>:<chatId> (Telegram)' })
  @IsString()
  @MaxLength(600)
  address!: string;

  @ApiProperty({ isArray: true, enum: NOTIFICATION_KINDS, description: 'payout-address-changed is always sent' })
  @IsArray()
  @IsIn(NOTIFICATION_KINDS, { each: true })
  events!: NotificationKind[];
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
