import { ApiProperty } from '@nestjs/swagger';
import { type PayoutsControlState } from '@pool/domain';

/** Why one switch is on, and since when (unix seconds). */
interface PauseRecordResponse {
  reason: string;
  at: number;
}

class PayoutsControlEventResponse {
  @ApiProperty({ enum: ['PayoutsPaused', 'PayoutsResumed'] }) type!: 'PayoutsPaused' | 'PayoutsResumed';
  @ApiProperty({ description: '{ reason, by: operator | config | pause_file, at }' }) data!: { reason: string; by: string; at: number };
}

/** The payout switches: which sources hold payouts now, and the last 20 changes. */
export class PayoutsControlResponse {
  @ApiProperty({ description: 'true while any switch holds payouts' }) paused!: boolean;
  @ApiProperty({
    description: 'the switches that are on (operator, config, pause_file), each with its reason and since when (unix seconds)',
    type: 'object',
    additionalProperties: { type: 'object', properties: { reason: { type: 'string' }, at: { type: 'number' } } },
  })
  pausedBy!: Record<string, PauseRecordResponse>;
  @ApiProperty({ type: [PayoutsControlEventResponse], description: 'the last 20 pauses and resumes, oldest first' }) history!: PayoutsControlEventResponse[];

  static of(state: PayoutsControlState): PayoutsControlResponse {
    return { paused: state.paused, pausedBy: state.pausedBy, history: state.history.slice(-20) };
  }
}

/** The answer to a pause or a resume: whether it changed the operator's switch, and the switches after it. */
export class PayoutsSwitchResponse extends PayoutsControlResponse {
  @ApiProperty({ description: "false when the operator's switch already was in the asked state (nothing recorded)" }) changed!: boolean;
}
