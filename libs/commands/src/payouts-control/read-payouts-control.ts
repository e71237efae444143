import { fold, StreamNotFoundError, type EventStore } from '@pool/event-sourcing';
import { decodePoolEvent, PAYOUTS_CONTROL_STREAM, payoutsControlDecider, type PayoutsControlEvent, type PayoutsControlState } from '@pool/domain';

/**
 * The payout switches as recorded now, read from their own stream (so a pause recorded a moment ago is seen, whatever
 * a reader of the global order may not see yet), with the revision they were read up to.
 */
export async function readPayoutsControlStream(store: EventStore): Promise<{ state: PayoutsControlState; revision: bigint | undefined }> {
  try {
    const recorded = await store.readStream(PAYOUTS_CONTROL_STREAM);
    const events = recorded.map(decodePoolEvent).filter((e): e is PayoutsControlEvent => e?.type === 'PayoutsPaused' || e?.type === 'PayoutsResumed');
    return { state: fold(payoutsControlDecider, events), revision: recorded[recorded.length - 1]?.revision };
  } catch (error) {
    if (error instanceof StreamNotFoundError) return { state: payoutsControlDecider.initialState(), revision: undefined };
    throw error;
  }
}

/** The payout switches as recorded now (for the operator endpoints and `poolctl payouts status`). */
export async function readPayoutsControl(store: EventStore): Promise<PayoutsControlState> {
  return (await readPayoutsControlStream(store)).state;
}
