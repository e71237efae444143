import { Command } from '@nestjs/cqrs';
import { type ChainEvent, type RecordReorg } from '@pool/domain';

/** The chain follower saw a reorg: record ChainReorgDetected once, whichever instance (or restart) saw it. */
export class RecordReorgCommand extends Command<ChainEvent[]> {
  constructor(readonly reorg: Omit<RecordReorg, 'type'>) {
    super();
  }
}
