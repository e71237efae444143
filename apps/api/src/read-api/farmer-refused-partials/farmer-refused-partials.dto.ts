import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { CursorPageQueryDto } from '../read-api.dto';

export class RefusedPartialsQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({ description: "only this harvester's refusals (its node id: 64 hex characters, 0x optional)" })
  @IsOptional()
  @Matches(/^(0x)?[0-9a-fA-F]{64}$/, { message: 'harvester must be 32 bytes of hex (64 characters, 0x optional)' })
  harvester?: string;
}
