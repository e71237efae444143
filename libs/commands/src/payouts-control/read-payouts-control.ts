import { fold, StreamNotFoundError, type EventStore } from '@pool/event-sourcing';
import { decodePoolEvent, PAYOUTS_CONTROL_STREAM, payoutsControlDecider, type PayoutsControlEvent, type PayoutsControlState } from '@pool/domain';

/** The payout switches as recorded now (for the operator endpoints and `poolctl payouts status`). */
export async function readPayoutsControl(store: EventStore): Promise<PayoutsControlState> {
  try {
    const events = (await store.readStream(PAYOUTS_CONTROL_STREAM))
      .map(decodePoolEvent)
      .filter((e): e is PayoutsControlEvent => e?.type === 'PayoutsPaused' || e?.type === 'PayoutsResumed');
    return fold(payoutsControlDecider, events);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return payoutsControlDecider.initialState();
    throw error;
  }
}
