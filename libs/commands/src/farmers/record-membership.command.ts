import { Command } from '@nestjs/cqrs';
import { type FarmerEvent, type RecordMembership } from '@pool/domain';

/** What the chain says of a farmer's plot NFT now: in this pool or not (FarmerLeftPool / FarmerRejoinedPool). */
export class RecordMembershipCommand extends Command<FarmerEvent[]> {
  constructor(readonly membership: Omit<RecordMembership, 'type'>) {
    super();
  }
}
