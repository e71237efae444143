import { ApiProperty } from '@nestjs/swagger';

export class ListFarmersResponse {
  @ApiProperty({ description: 'farmers matching the search and filter, in all pages' }) total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
  @ApiProperty() sort!: string;
  @ApiProperty({ enum: ['asc', 'desc'] }) order!: 'asc' | 'desc';
  @ApiProperty({
    type: 'array',
    description: 'farmer_view rows as they are (snake_case columns), bigint columns as decimal strings',
    items: { type: 'object', additionalProperties: true },
  })
  farmers!: Record<string, unknown>[];
}
