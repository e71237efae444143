import { type CommandBus } from '@nestjs/cqrs';
import { RecordPayoutConfirmedCommand, RecordPayoutFailedCommand, RecordPayoutFeeBumpedCommand, RecordPayoutSentCommand, RecordPayoutSignedCommand, type PayoutRef } from '@pool/commands';
import { applyToSagaView, type PayoutCommitment, type PayoutEvent, type PayoutSagaView, type PayoutStep, type SagaPayout, signedTransactionIds, type SignedPayoutTransaction } from '@pool/domain';

/** What one step of a payout recorded, for the saga's report (null: nothing, the payout waits). */
export type Outcome = 'signed' | 'sent' | 'confirmed' | 'failed' | null;

/**
 * Records the payout workflow's ledger steps through the payout commands (each handler owns the stream, the payout
 * decider and the step's idempotency key) and folds what they recorded into the saga's view.
 */
export class PayoutRecorder {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly view: PayoutSagaView,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Records one step through its command and folds the recorded events at once, so this run's later steps see them.
   * A SignPayout step comes with the signed transactions and what they commit to (the saga signs and checks them first).
   */
  async record(payout: SagaPayout, step: PayoutStep, signing?: { transactions: SignedPayoutTransaction[]; commitment: PayoutCommitment | null }): Promise<Outcome> {
    const ref: PayoutRef = { payoutId: payout.planned.payoutId, sequence: payout.planned.sequence, failedAttempts: payout.failures.length };
    let events: PayoutEvent[];
    let outcome: Outcome;
    switch (step.type) {
      case 'SignPayout': {
        if (signing === undefined) throw new Error(`payout ${ref.payoutId}: a signing is recorded with its transactions`);
        events = await this.commandBus.execute(new RecordPayoutSignedCommand(ref, signing.transactions, step.now, signing.commitment ?? undefined));
        outcome = 'signed';
        break;
      }
      case 'RecordSentFromChain':
        // The money left before PayoutSent was recorded (a crash after the push): the recorded signing names it.
        events = await this.commandBus.execute(new RecordPayoutSentCommand(ref, signedTransactionIds(payout), step.now));
        outcome = 'sent';
        break;
      case 'RecordPayoutSent':
        events = await this.commandBus.execute(new RecordPayoutSentCommand(ref, step.transactionIds, step.now, step.height));
        outcome = 'sent';
        break;
      case 'ConfirmPayout':
        events = await this.commandBus.execute(new RecordPayoutConfirmedCommand(ref, step.confirmedHeight, step.now));
        outcome = 'confirmed';
        break;
      case 'FailPayout':
        events = await this.commandBus.execute(new RecordPayoutFailedCommand(ref, step.reason, step.attempt, step.maxAttempts, step.now));
        this.log(`payout ${ref.payoutId} attempt ${step.attempt} failed${step.attempt < step.maxAttempts ? '' : ' for good'}: ${step.reason}`);
        outcome = 'failed';
        break;
      default:
        throw new Error(`payout step ${step.type} is not recorded`);
    }
    this.fold(payout, events);
    return outcome;
  }

  /** Records a fee bump's new versions (PayoutFeeBumped) before they are pushed, and folds it at once. */
  async recordFeeBump(payout: SagaPayout, transactions: SignedPayoutTransaction[], reason: string, height: number, now: number): Promise<void> {
    const ref: PayoutRef = { payoutId: payout.planned.payoutId, sequence: payout.planned.sequence, failedAttempts: payout.failures.length };
    this.fold(payout, await this.commandBus.execute(new RecordPayoutFeeBumpedCommand(ref, transactions, reason, height, now)));
  }

  private fold(payout: SagaPayout, events: PayoutEvent[]): void {
    let revision = payout.revision;
    for (const event of events) applyToSagaView(this.view, payout.stream, ++revision, event);
  }
}
