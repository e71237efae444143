import { existsSync } from 'node:fs';
import { type CommandBus } from '@nestjs/cqrs';
import { type Coin, coinId, type CoinRecord, type FullNodeRpc, type WalletRpc } from '@pool/chia';
import { PlanPayoutCommand, readPayoutsControlStream } from '@pool/commands';
import { type PoolSettings } from '@pool/config';
import { applyToSagaView, bundleToPush, commitmentFor, DEFAULT_SEAL_SCHEDULE, DomainError, type PayoutCommitment, emptyPayoutSagaView, PAYOUT_LEDGER_EVENT_TYPES, type PayoutPlanned, type PayoutSagaView, payoutsControlDecider, type PayoutsControlState, type PayoutStep, payoutStream, payoutWorkflow, type PoolEvent, poolEvents, type SagaPayout, signedTransactionIds, type SignedPayoutTransaction, unclaimed, unresolvedSagaPayouts, watchedCoinIds } from '@pool/domain';
import { LedgerFollower, StreamCommandRunner, WrongExpectedRevisionError, type EventStore } from '@pool/event-sourcing';
import { LedgerSealer } from '../seals/ledger-sealer';
import { type PayoutPlannerPort } from './payout-planner';
import { observedCoins, PayoutSender, pushWasAnswered, SendRefused } from './payout-sender';
import { PayoutRecorder, type Outcome } from './payout-recorder';
import { PayoutFees } from './payout-fees';
import { payoutPolicy, payoutScheme } from './payout-settings';
import { recordPauseSwitches } from './payout-switches';
import { type PayoutWalletGuard } from './payout-wallet-guard';
import { PayoutWatch } from './payout-watch';

/**
 * Where a test may kill the process (see PayoutSagaDeps.crashPoint): after the plan is recorded, after the wallet
 * signed (nothing recorded of it), after PayoutSigned, after the push, after PayoutSent.
 */
export type PayoutCrashPoint = 'after-plan' | 'after-sign' | 'after-signed' | 'after-send' | 'after-sent';

/** How far back confirmed payouts are checked against reorgs when the chain follower's window is not given. */
const DEFAULT_REORG_WATCH_BLOCKS = 100;

export interface PayoutSagaDeps {
  store: EventStore;
  /** Where every step is recorded (PlanPayout, RecordPayoutSent, ..., PausePayouts for the config and file switches). */
  commandBus: CommandBus;
  chain: FullNodeRpc;
  wallet: WalletRpc;
  settings: Pick<PoolSettings, 'targetPuzzleHash' | 'confirmationSecurityThreshold' | 'feeBasisPoints' | 'payouts'> & Partial<Pick<PoolSettings, 'chainFollowerWindow'>>;
  planner: PayoutPlannerPort;
  /** Unix seconds. */
  now: () => number;
  /** Default: the file system. */
  fileExists?: (path: string) => boolean;
  /** Called at each step of the saga; only crash tests pass one (it kills the process). */
  crashPoint?: (point: PayoutCrashPoint) => void;
  /**
   * Seals through a new plan before it is signed (its transactions commit to that seal on chain): the worker's sealer,
   * whose loop would seal it within a round anyway. Default: a sealer of its own on the same store.
   */
  sealer?: Pick<LedgerSealer, 'catchUp'>;
  /** Checked before the wallet signs: the configured key and the addresses' network (payout-wallet-guard.ts). */
  walletGuard?: Pick<PayoutWalletGuard, 'check'>;
  log?: (line: string) => void;
}

export interface PayoutRunReport {
  paused: boolean;
  /** Why payouts are held, one entry per switch that is on. */
  pauseReasons: string[];
  planned: string[];
  signed: string[];
  sent: string[];
  confirmed: string[];
  failed: string[];
  /** Unresolved payouts still waiting (on depth, backoff or a pause). */
  waiting: string[];
  /** Why a payout that is due was not planned (the wallet's buried coins do not cover it yet). */
  notPlanned?: string;
  /** Why this run did nothing at all (the node is not synced: its coin records cannot be trusted yet). */
  skipped?: string;
}

/**
 * The payout saga's shell: plan from the ledger and record the plan (what to pay, from which coins); have the wallet
 * sign it without pushing, check the bundles against the plan and record them with the coin ids they create
 * (PayoutSigned) before anything is pushed; push only what was recorded, and follow those coins on chain until they
 * are buried.
 * What to do at each point (reconcile, retry, back off, abandon, confirm, watch an abandoned payout, push a confirmed
 * one again after a deep reorg) is the domain's payout workflow; this class observes the chain and the wallet, feeds
 * the workflow, and executes its steps, recording each through the payout commands.
 *
 * Every run starts by reconciling: a payout planned or sent but not confirmed is looked up on chain by the coin ids
 * its recorded bundles create, and the same recorded bundles are pushed again when they are absent (a node takes one
 * bundle once). A payout planned and not signed was never pushed, whatever crashed where: it is signed again. A new
 * payout is planned only when none is unresolved, so a farmer is never paid twice and a plan is never dropped. A coin
 * on chain counts for one payout only (the view's claimedCoins), since two payouts can expect the same coins.
 */
export class PayoutSaga {
  private readonly view: PayoutSagaView = emptyPayoutSagaView();
  private readonly follower: LedgerFollower<PoolEvent>;
  private control: PayoutsControlState = payoutsControlDecider.initialState();
  /** Revision of `payouts-control` folded into `control` (the stream read and the ledger's order both feed it). */
  private controlRevision: bigint | undefined;
  private readonly workflow: ReturnType<typeof payoutWorkflow>;
  private readonly sender: PayoutSender;
  private readonly recorder: PayoutRecorder;
  private readonly fileExists: (path: string) => boolean;
  private readonly log: (line: string) => void;
  private readonly watch: PayoutWatch;
  private readonly fees: PayoutFees;
  private readonly sealer: Pick<LedgerSealer, 'catchUp'>;

  constructor(private readonly deps: PayoutSagaDeps) {
    this.fileExists = deps.fileExists ?? existsSync;
    this.log = deps.log ?? (() => undefined);
    this.sender = new PayoutSender(deps.chain, deps.wallet);
    // Only what the planner's fold and the saga read: the store skips the partials submitted, the rewards detected.
    // And the seals, whose sequence and hash a plan's transactions carry.
    this.follower = new LedgerFollower(deps.store, { ...poolEvents(...PAYOUT_LEDGER_EVENT_TYPES, 'LedgerSealed'), pageSize: 2000 });
    this.sealer = deps.sealer ?? new LedgerSealer({ store: deps.store, runner: new StreamCommandRunner(deps.store), schedule: DEFAULT_SEAL_SCHEDULE, now: deps.now });
    this.workflow = payoutWorkflow(payoutPolicy(deps.settings));
    this.recorder = new PayoutRecorder(deps.commandBus, this.view, this.log);
    this.fees = new PayoutFees(deps.chain, deps.settings.payouts, this.log);
    this.watch = new PayoutWatch({
      chain: deps.chain,
      sender: this.sender,
      recorder: this.recorder,
      view: this.view,
      workflow: this.workflow,
      reorgWatchBlocks: deps.settings.chainFollowerWindow ?? DEFAULT_REORG_WATCH_BLOCKS,
      now: () => this.now(),
      log: this.log,
    });
  }

  /** The payouts as the saga last read them. */
  payouts(): SagaPayout[] {
    return [...this.view.payouts.values()].sort((a, b) => a.planned.sequence - b.planned.sequence);
  }

  /** One pass: catch up with the ledger, record pause switches, reconcile, then plan and send when nothing is unresolved. */
  async runOnce(): Promise<PayoutRunReport> {
    const report: PayoutRunReport = { paused: false, pauseReasons: [], planned: [], signed: [], sent: [], confirmed: [], failed: [], waiting: [] };
    await this.catchUp();
    await recordPauseSwitches(this.deps.commandBus, this.control, this.deps.settings.payouts, this.fileExists, this.now());
    // From the stream itself: a pause an operator recorded a moment ago holds this run, even where the global order
    // does not show it yet (PostgreSQL shows a reader only the transactions below the oldest one still running).
    ({ state: this.control, revision: this.controlRevision } = await readPayoutsControlStream(this.deps.store));
    await this.catchUp();
    report.paused = this.control.paused;
    report.pauseReasons = Object.entries(this.control.pausedBy).map(([by, record]) => `${by}: ${record!.reason}`);
    // A syncing node answers "no such coin" for coins it has not reached: nothing is decided from that.
    const node = await this.deps.chain.getBlockchainState();
    if (!node.sync.synced || node.peak === null) {
      report.skipped = 'the full node is not synced';
      return report;
    }

    for (const payout of unresolvedSagaPayouts(this.view)) await this.reconcile(payout, report);
    const abandoned = await this.watch.abandoned(this.payouts(), report);
    const orphaned = await this.watch.confirmed(this.view.payouts.values(), this.control.paused, report, node.peak.height);
    await this.catchUp();
    if (report.paused || unresolvedSagaPayouts(this.view).length > 0 || abandoned.hold || orphaned) return report;

    let planned: PayoutPlanned['data'] | null;
    try {
      planned = await this.plan(abandoned.mustSpend);
    } catch (error) {
      // The domain refuses a plan the wallet cannot fund (e.g. the absorbed coins are not buried yet): nothing is
      // recorded, and the next run tries again.
      if (!(error instanceof DomainError)) throw error;
      report.notPlanned = error.message;
      return report;
    }
    if (planned === null) return report;
    report.planned.push(planned.payoutId);
    this.deps.crashPoint?.('after-plan');
    await this.catchUp();
    const payout = this.view.payouts.get(payoutStream(planned.sequence));
    if (payout !== undefined) await this.reconcile(payout, report);
    return report;
  }

  private now(): number {
    return Math.floor(this.deps.now());
  }

  /** Reads what was appended since the last run into the planner's ledger, the saga's view and the switches. */
  private async catchUp(): Promise<void> {
    // Taken first: the plan's ledger position is this head (or a later event read below), as when every event was read.
    const head = await this.deps.store.headPosition();
    await this.follower.catchUp((event, recorded) => {
      this.deps.planner.apply(recorded);
      applyToSagaView(this.view, recorded.stream, recorded.revision, event);
      const seen = this.controlRevision !== undefined && recorded.revision <= this.controlRevision;
      if ((event.type === 'PayoutsPaused' || event.type === 'PayoutsResumed') && !seen) {
        this.control = payoutsControlDecider.evolve(this.control, event);
        this.controlRevision = recorded.revision;
      }
    });
    this.follower.skipTo(head);
  }

  /** Plans the next payout from the ledger and the wallet's buried coins; records it with "no stream". */
  private async plan(mustSpend: Coin[]): Promise<PayoutPlanned['data'] | null> {
    const position = this.follower.position;
    if (position === undefined) return null;
    const state = await this.deps.chain.getBlockchainState();
    const peak = state.peak?.height;
    if (peak === undefined) return null;
    const threshold = this.deps.settings.confirmationSecurityThreshold;
    const target = this.deps.settings.targetPuzzleHash;
    // Only buried coins: a payout funded by a coin a reorg could remove would have to be planned again. The wallet's
    // coins are the rewards absorbed at the target and the change of earlier payouts, wherever the wallet sent it.
    const buried = (record: CoinRecord): boolean => !record.spent && record.confirmedBlockIndex <= peak - threshold;
    const change = await this.sender.coins([...this.view.changeCoinIds]);
    for (const [id, record] of change) if (record.spent) this.view.changeCoinIds.delete(id);
    const walletCoins = [
      ...new Map(
        [...(await this.deps.chain.getCoinRecordsByPuzzleHash(target, { includeSpentCoins: false })), ...change.values()]
          .filter(buried)
          .map((record) => [coinId(record.coin), record.coin]),
      ).values(),
    ];
    const planned = this.deps.planner.plan({
      sequence: this.view.lastSequence + 1,
      ledgerPosition: position,
      now: this.now(),
      // The fee per transaction: the node's estimate within the cap (recorded in the scheme, with how it was chosen).
      scheme: await this.fees.scheme(payoutScheme(this.deps.settings)),
      configVersion: this.deps.settings.payouts.configVersion,
      walletCoins,
      mustSpend,
    });
    if (planned === null) return null;
    if (!(await this.deps.commandBus.execute(new PlanPayoutCommand(planned))).recorded) return null;
    this.log(`payout ${planned.payoutId} planned: ${planned.allocations.length} allocation(s) in ${planned.transactions.length} transaction(s)`);
    return planned;
  }

  private async reconcile(payout: SagaPayout, report: PayoutRunReport): Promise<void> {
    const id = payout.planned.payoutId;
    try {
      const outcome = await this.settle(payout);
      if (outcome !== null) report[outcome].push(id);
      else report.waiting.push(id);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        // Someone else recorded a step of this payout; the next run reads it.
        report.waiting.push(id);
        return;
      }
      throw error;
    }
  }

  /** Moves one unresolved payout as far as the chain allows; returns what it recorded, or null when it waits. */
  private async settle(payout: SagaPayout): Promise<Outcome> {
    const coins = unclaimed(this.view, payout.planned.payoutId, await this.sender.coins(watchedCoinIds(payout)));
    const peak = (await this.deps.chain.getBlockchainState()).peak?.height ?? 0;
    let outcome: Outcome = null;
    const steps = this.workflow.decide({ type: 'PayoutObserved', coins: observedCoins(coins), peak, paused: this.control.paused, now: this.now() }, payout);
    for (const step of steps) {
      if (step.type === 'SendPayout') return this.send(payout, step.landed, peak);
      if (step.type === 'BumpFee') {
        // Signed again and recorded before any push; then the latest versions are pushed (the waiting ones, when no
        // bump could be made), replacing what waits in the mempool.
        await this.deps.walletGuard?.check();
        try {
          if (await this.sender.walletSynced()) await this.fees.bump(payout, step, peak, { sender: this.sender, recorder: this.recorder });
        } catch (error) {
          // Nothing of a bump is pushed unless recorded: a refused signing or recording leaves the waiting versions.
          if (error instanceof WrongExpectedRevisionError) throw error;
          this.log(`payout ${payout.planned.payoutId}: fee bump not made (${(error as Error).message})`);
        }
        return this.send(payout, step.landed, peak);
      }
      if (step.type === 'SignPayout') {
        outcome = await this.sign(payout, step);
        if (outcome !== 'signed') return outcome;
        // Recorded: what was not landed is pushed in this same run (the workflow sees the new bundles).
        if (!step.allowSpentInputs) return this.settle(payout);
        continue;
      }
      outcome = await this.recorder.record(payout, step);
      if (step.type === 'ConfirmPayout') this.log(`payout ${payout.planned.payoutId} confirmed at height ${step.confirmedHeight}`);
    }
    return outcome;
  }

  /**
   * Has the wallet sign the plan and records the bundles (PayoutSigned) before anything is pushed. A crash between the
   * two leaves no trace: nothing was pushed, and the next run signs again. A failure goes back to the workflow like a
   * failed send (nothing of this payout can be on the network yet).
   */
  private async sign(payout: SagaPayout, step: Extract<PayoutStep, { type: 'SignPayout' }>): Promise<Outcome> {
    // The reference pool waits for its wallet too: an unsynced wallet may not know the coins it is asked to sign.
    // Refused (another key, a wrong network): the run stops here with nothing recorded, and the loop says why.
    await this.deps.walletGuard?.check();
    if (!(await this.sender.walletSynced())) return null;
    // A plan recorded before commitments whose coins landed unrecorded is only named (allowSpentInputs), as it landed.
    const commitment = step.allowSpentInputs ? null : await this.commitment(payout);
    if (commitment === undefined) return null;
    const landed = payout.planned.transactions.map(() => step.allowSpentInputs);
    let signed: SignedPayoutTransaction[];
    try {
      if (!step.allowSpentInputs) await this.sender.checkInputsUnspent(payout.planned.transactions);
      signed = await this.sender.sign(payout.planned, { allowSpentInputs: step.allowSpentInputs, commitment });
    } catch (error) {
      return this.failed(payout, error, { landed, pushedAny: false, pushing: false });
    }
    this.deps.crashPoint?.('after-sign');
    let outcome: Outcome;
    try {
      outcome = await this.recorder.record(payout, step, { transactions: signed, commitment });
    } catch (error) {
      // Another instance recorded its own signing first: this run reads it next time.
      if (error instanceof DomainError && error.reason === 'INVALID_STATE') return null;
      throw error;
    }
    this.deps.crashPoint?.('after-signed');
    this.log(`payout ${payout.planned.payoutId} signed: ${signed.map((s) => s.transactionId).join(', ')}`);
    return outcome;
  }

  /**
   * What the plan's transactions will commit to: its seal (the sealer is asked to seal through the plan when it has
   * not yet) and its allocations' root. Undefined when there is no seal yet (a store error): the payout waits.
   */
  private async commitment(payout: SagaPayout): Promise<PayoutCommitment | undefined> {
    let commitment = commitmentFor(this.view, payout);
    if (commitment === null) {
      await this.sealer.catchUp();
      await this.catchUp();
      commitment = commitmentFor(this.view, payout);
    }
    if (commitment === null) this.log(`payout ${payout.planned.payoutId} waits for the seal through its plan before it is signed`);
    return commitment ?? undefined;
  }

  /** One send attempt: push the recorded bundle of every transaction not landed; a failure goes back to the workflow. */
  private async send(payout: SagaPayout, landed: boolean[], peak?: number): Promise<Outcome> {
    const txs = payout.planned.transactions;
    let pushing = false;
    let pushedAny = false;
    try {
      await this.sender.checkInputsUnspent(txs.filter((_, i) => !landed[i]));
      for (let i = 0; i < txs.length; i++) {
        if (landed[i]) continue;
        const recorded = bundleToPush(payout, i);
        if (recorded === null) throw new SendRefused(`transaction ${i} has no recorded bundle`, false);
        pushing = true;
        await this.sender.push({ id: recorded.transactionId, bundle: recorded.bundle });
        pushedAny = true;
      }
    } catch (error) {
      return this.failed(payout, error, { landed, pushedAny, pushing });
    }
    this.deps.crashPoint?.('after-send');
    const transactionIds = signedTransactionIds(payout);
    const steps = this.workflow.decide({ type: 'PayoutPushed', transactionIds, ...(peak === undefined ? {} : { peak }), now: this.now() }, payout);
    if (steps.length === 0) return null;
    for (const step of steps) await this.recorder.record(payout, step);
    this.log(`payout ${payout.planned.payoutId} sent: ${transactionIds.join(', ')}`);
    this.deps.crashPoint?.('after-sent');
    return 'sent';
  }

  /** What the chain says right after a failed attempt, for the workflow to decide retry, wait or abandon. */
  private async failed(payout: SagaPayout, error: unknown, attempt: { landed: boolean[]; pushedAny: boolean; pushing: boolean }): Promise<Outcome> {
    const pending = payout.planned.transactions.filter((_, i) => !attempt.landed[i]);
    const stillMissing = watchedCoinIds({ variants: payout.variants.filter((_, i) => !attempt.landed[i]) });
    const again = await this.sender.coins([...stillMissing, ...pending.flatMap((tx) => tx.inputCoinIds)]);
    const steps = this.workflow.decide(
      {
        type: 'PayoutSendFailed',
        message: (error as Error).message,
        final: error instanceof SendRefused && error.final,
        pushedAny: attempt.pushedAny,
        pushUnanswered: attempt.pushing && !pushWasAnswered(error),
        landed: attempt.landed,
        landedMeanwhile: stillMissing.some((id) => again.has(id)),
        pendingCannotLand: pending.every((tx) => tx.inputCoinIds.some((id) => again.get(id)?.spent === true)),
        now: this.now(),
      },
      payout,
    );
    let outcome: Outcome = null;
    for (const step of steps) outcome = await this.recorder.record(payout, step);
    return outcome;
  }
}
