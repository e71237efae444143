import { ApiProperty } from '@nestjs/swagger';
import { PayoutsControlResponse } from '../payouts-control/payouts-control.response';

class ProcessFigures {
  @ApiProperty() pid!: number;
  @ApiProperty() uptimeSeconds!: number;
  @ApiProperty() rssBytes!: number;
  @ApiProperty() node!: string;
}

class PoolIdentity {
  @ApiProperty() name!: string;
  @ApiProperty() feeBasisPoints!: number;
  @ApiProperty() targetPuzzleHash!: string;
}

class PayoutSettings {
  @ApiProperty({ enum: ['prop', 'pplns'] }) scheme!: string;
  @ApiProperty({ description: 'mojos, decimal string' }) minimumPayout!: string;
  @ApiProperty() intervalSeconds!: number;
}

/** What the pool runs with, secrets left out. */
class RunningConfig {
  @ApiProperty({ type: String, nullable: true, description: 'the config file, if any' }) source!: string | null;
  @ApiProperty() eventStore!: string;
  @ApiProperty() readModels!: string;
  @ApiProperty({ description: 'host:port of the full node' }) chain!: string;
  @ApiProperty() logLevel!: string;
  @ApiProperty({ type: PoolIdentity }) pool!: PoolIdentity;
  @ApiProperty({ type: PayoutSettings }) payouts!: PayoutSettings;
}

/** GET /api/operator/health: every dependency with its figures and errors, projection lag, payout switches, process, config. */
export class OperatorHealthResponse {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: 'ok' | 'error';
  @ApiProperty({ description: "each dependency in @nestjs/terminus's format (eventStore, readModels, chain), with its figures", type: 'object', additionalProperties: true })
  checks!: Record<string, unknown>;
  @ApiProperty({ description: "each projection's generation, checkpoint and lag (capped at 10,000), or { error }", oneOf: [{ type: 'array', items: { type: 'object', additionalProperties: true } }, { type: 'object', properties: { error: { type: 'string' } } }] })
  projections!: unknown[] | { error: string };
  @ApiProperty({ description: 'the payout switches, or { error }', oneOf: [{ $ref: '#/components/schemas/PayoutsControlResponse' }, { type: 'object', properties: { error: { type: 'string' } } }] })
  payouts!: PayoutsControlResponse | { error: string };
  @ApiProperty({ type: ProcessFigures }) process!: ProcessFigures;
  @ApiProperty({ type: RunningConfig }) config!: RunningConfig;
}
