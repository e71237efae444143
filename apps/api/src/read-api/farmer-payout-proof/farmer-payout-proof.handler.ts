import { Inject, NotFoundException } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { allocationInclusion, type PayoutFeeBumped, type PayoutPlanned, type PayoutSigned, upcastPayoutPlanned } from '@pool/domain';
import { StreamNotFoundError, type EventStore, type RecordedEvent } from '@pool/event-sourcing';
import { EVENT_STORE } from '@pool/runtime';
import { FarmerPayoutProofQuery } from './farmer-payout-proof.query';
import type { FarmerPayoutProofResponse } from './farmer-payout-proof.response';

/** A payout's id is its stream's name. */
const PAYOUT_ID = /^payout-\d{8,}$/;

/**
 * A farmer's inclusion proof, read from the payout's own stream (a handful of events): the plan's allocations give the
 * leaf and its steps to the root, the signing gives the commitment and which coins carry the payment and the memo.
 * Evidence, so read from the ledger, never from a projection; what it says is checked against the chain and an
 * export by the farmer (`poolctl verify-payout`), not taken on trust.
 */
@QueryHandler(FarmerPayoutProofQuery)
export class FarmerPayoutProofHandler implements IQueryHandler<FarmerPayoutProofQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ launcherId, payoutId }: FarmerPayoutProofQuery): Promise<FarmerPayoutProofResponse> {
    if (!PAYOUT_ID.test(payoutId)) throw new NotFoundException(`${payoutId} is not a payout id (payout-00000001, ...)`);
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(payoutId);
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw new NotFoundException(`no payout ${payoutId}`);
      throw error;
    }
    const planned = events.find((e) => e.type === 'PayoutPlanned');
    if (planned === undefined) throw new NotFoundException(`no payout ${payoutId}`);
    const plan = upcastPayoutPlanned(planned.data as PayoutPlanned['data']);
    const signings = events.filter((e) => e.type === 'PayoutSigned' || e.type === 'PayoutFeeBumped').map((e) => e.data as PayoutSigned['data'] | PayoutFeeBumped['data']);
    const inclusion = allocationInclusion(plan, signings, launcherId);
    if (inclusion === null) throw new NotFoundException(`payout ${payoutId} allocates nothing to ${launcherId}`);
    if (inclusion instanceof Error) throw new NotFoundException(inclusion.message);
    return { ...inclusion, exportUrl: `/api/ledger/exports/${inclusion.commitment.sealSequence}` };
  }
}
