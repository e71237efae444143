import { type CommandBus } from '@nestjs/cqrs';
import { type FullNodeRpc } from '@pool/chia';
import { ConfirmPartialCommand, RevertPartialCommand } from '@pool/commands';
import {
  afterPartialStep,
  eventTypesOf,
  partialSettlementWorkflow,
  poolEvents,
  type FarmerState,
  type PartialProgress,
  type PartialChecked,
  type PartialSettlementInput,
  type PartialSettlementStep,
  type PoolEvent,
  type SignagePointSeen,
} from '@pool/domain';
import { LedgerFollower, type EventStore } from '@pool/event-sourcing';
import { runEvery } from '@pool/runtime';

export interface PartialConfirmerOptions {
  store: EventStore;
  /** Where the settlements go (ConfirmPartial, RevertPartial). */
  commandBus: CommandBus;
  chain: Pick<FullNodeRpc, 'getRecentSignagePointOrEos'>;
  farmerState(launcherId: string): Promise<FarmerState>;
  /** Seconds after receipt before a partial is settled (reference: 300). */
  delaySeconds: number;
  /** Seconds after confirmation during which a reorg can still revert a partial. */
  reorgWindowSeconds?: number;
  /** Unix seconds on the chain's clock. */
  now(): number;
  /** Real milliseconds between two looks at what is due. */
  intervalMs?: number;
}

/**
 * Settles partials after the confirmation delay, and reverts confirmed ones a reorg took back: the decisions are the
 * domain's partial-settlement workflow; this class follows the ledger, reads the chain and the farmer, and executes
 * the steps. The ledger is the queue: pending partials are the submitted ones with no settlement yet, found again by
 * reading the store on every start.
 */
export class PartialConfirmer {
  private readonly workflow: ReturnType<typeof partialSettlementWorkflow>;
  /** Partials waiting out the delay, by proof hash. */
  private readonly pending = new Map<string, PartialProgress>();
  /** Confirmed partials still young enough for a reorg to take back, by proof hash (kept apart: ticks skip them). */
  private readonly confirmed = new Map<string, PartialProgress>();

  private caughtUp = deferred();

  constructor(private readonly options: PartialConfirmerOptions) {
    this.workflow = partialSettlementWorkflow({ delaySeconds: options.delaySeconds, reorgWindowSeconds: options.reorgWindowSeconds ?? 3600 });
  }

  /** Resolves once the running confirmer has read the ledger up to its head (pending and confirmed sets complete). */
  whenCaughtUp(): Promise<void> {
    return this.caughtUp.promise;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Follows the store and settles what is due until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.caughtUp = deferred();
    const following = this.follow(signal);
    await runEvery(this.options.intervalMs ?? 1000, signal, () => this.settleDue());
    await following;
  }

  /** Applies one partial event to the tracked partials (exposed for the catch-up and for tests); others are ignored. */
  track(event: PoolEvent): void {
    if (event.type !== 'PartialSubmitted' && event.type !== 'PartialConfirmed' && event.type !== 'PartialReverted') return;
    const proofHash = event.data.proofHash;
    this.file(proofHash, this.workflow.evolve(this.tracked(proofHash), event));
  }

  /** After a reorg back to `forkHeight`: reverts the confirmed partials the workflow says it took back; returns how many. */
  async revertAfterReorg(forkHeight: number): Promise<number> {
    const input = { type: 'ReorgReported', forkHeight, now: this.options.now() } as const;
    let reverted = 0;
    for (const [proofHash, partial] of this.confirmed) reverted += await this.execute(proofHash, input, this.workflow.decide(input, partial));
    return reverted;
  }

  /** Settles every partial whose delay has passed; returns how many. */
  async settleDue(): Promise<number> {
    const input = { type: 'SettlementTick', now: this.options.now() } as const;
    const due = [...this.pending].map(([proofHash, partial]) => ({ proofHash, steps: this.workflow.decide(input, partial) })).filter((d) => d.steps.length > 0);
    for (const { proofHash, steps } of due) await this.execute(proofHash, input, steps);
    return due.length;
  }

  private follow(signal: AbortSignal): Promise<void> {
    const ledger = new LedgerFollower(this.options.store, poolEvents(...eventTypesOf('partial')));
    return ledger.follow(signal, (event) => this.track(event), () => this.caughtUp.resolve());
  }

  /** Executes the steps the workflow decided for one partial (a read answers with the next input); returns the reverts. */
  private async execute(proofHash: string, input: PartialSettlementInput, steps: PartialSettlementStep[]): Promise<number> {
    let reverts = 0;
    for (const step of steps) {
      const partial = this.tracked(proofHash);
      if (partial === null) break;
      switch (step.type) {
        case 'CheckPartial':
          reverts += await this.decide(proofHash, await this.check(partial, input.now));
          continue;
        case 'RecheckSignagePoint':
          reverts += await this.decide(proofHash, { type: 'SignagePointRechecked', signagePoint: await this.lookUp(partial), forkHeight: step.forkHeight, now: input.now });
          continue;
        case 'ConfirmPartial':
          await this.options.commandBus.execute(new ConfirmPartialCommand(proofHash, step.now));
          break;
        case 'RevertPartial':
          await this.options.commandBus.execute(new RevertPartialCommand(proofHash, step.reason, step.now, step.forkHeight));
          reverts++;
          break;
        case 'StopWatching':
          break;
      }
      this.file(proofHash, afterPartialStep(partial, step));
    }
    return reverts;
  }

  private async decide(proofHash: string, input: PartialSettlementInput): Promise<number> {
    const partial = this.tracked(proofHash);
    return partial === null ? 0 : this.execute(proofHash, input, this.workflow.decide(input, partial));
  }

  /** A due partial's signage point and its farmer as they stand now. */
  private async check(partial: PartialProgress, now: number): Promise<PartialChecked> {
    const signagePoint = await this.lookUp(partial);
    const farmer = await this.options.farmerState(partial.launcherId);
    return { type: 'PartialChecked', signagePoint, farmer: { registered: farmer.status === 'registered', isMember: farmer.status === 'registered' && farmer.isMember }, now };
  }

  private tracked(proofHash: string): PartialProgress | null {
    return this.pending.get(proofHash) ?? this.confirmed.get(proofHash) ?? null;
  }

  /**
   * Keeps a partial in the set its status names (or in none once nothing more can happen to it). A partial that
   * stays in its set keeps its place there: the reorg pass walks the live set.
   */
  private file(proofHash: string, partial: PartialProgress | null): void {
    if (partial?.status !== 'pending') this.pending.delete(proofHash);
    if (partial?.status !== 'confirmed') this.confirmed.delete(proofHash);
    if (partial?.status === 'pending') this.pending.set(proofHash, partial);
    if (partial?.status === 'confirmed') this.confirmed.set(proofHash, partial);
  }

  /** The node's answer for the partial's signage point (by signage point hash, else as an end-of-slot challenge). */
  private async lookUp(partial: PartialProgress): Promise<SignagePointSeen> {
    const chain = this.options.chain;
    const seen =
      (await chain.getRecentSignagePointOrEos({ spHash: partial.signagePointHash })) ??
      (await chain.getRecentSignagePointOrEos({ challengeHash: partial.signagePointHash }));
    return seen === null ? null : { reverted: seen.reverted };
  }
}

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
