import { existsSync } from 'node:fs';
import { ChiaRpcError, coinId, type Coin, type CoinRecord, type FullNodeRpc, type SpendBundle, type WalletRpc } from '@pool/chia';
import { type PoolSettings } from '@pool/config';
import { DomainError, payoutStream, type PayoutPlanned, type PayoutSchemeConfig, type PayoutTransaction } from '@pool/domain';
import { canonicalJson, payoutDecider, type PayoutCommand } from '@pool/domain';
import { WrongExpectedRevisionError, type EventStore, type GlobalPosition, type RecordedEvent } from '@pool/event-sourcing';
import { StreamCommandRunner } from '@pool/event-sourcing';
import {
  applyToSagaView,
  emptyPayoutSagaView,
  expectedCoinIds,
  unclaimed,
  unresolvedPayouts,
  type PayoutSagaView,
  type SagaPayout,
} from './payout-saga-view';
import { type PayoutPlannerPort } from './payout-planner';
import { foldPayoutsControl, readPayoutsControl, setPayoutsPaused, type PayoutsControlState } from '@pool/commands';

/** Where a test may kill the process (see PayoutSagaDeps.crashPoint). */
export type PayoutCrashPoint = 'after-plan' | 'after-send' | 'after-sent';

/** How far back confirmed payouts are checked against reorgs when the chain follower's window is not given. */
const DEFAULT_REORG_WATCH_BLOCKS = 100;

/** Chia's standard wallet: the pool pays from it. */
const STANDARD_WALLET_ID = 1;

/**
 * Reason prefix of a failure whose push may have reached the node (a timeout or a dropped connection while
 * pushing). Such a payout is never abandoned: its transactions may still land, and abandoning returns the money.
 */
export const MAYBE_SENT = 'push unconfirmed: ';

export interface PayoutSagaDeps {
  store: EventStore;
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
  log?: (line: string) => void;
}

export interface PayoutRunReport {
  paused: boolean;
  /** Why payouts are held, one entry per switch that is on. */
  pauseReasons: string[];
  planned: string[];
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

class SendRefused extends Error {
  constructor(
    message: string,
    /** Resending the same transactions cannot succeed (an input was spent elsewhere, the wallet built other coins). */
    readonly final: boolean,
  ) {
    super(message);
  }
}

interface SignedTransaction {
  id: string;
  bundle: SpendBundle;
}

/**
 * The payout saga: plan from the ledger, record the plan (with the coin ids it will create) before anything is
 * signed, have the wallet sign exactly those spends, push them, and follow them on chain until they are buried.
 *
 * Every run starts by reconciling: a payout planned or sent but not confirmed is looked up on chain by its
 * expected coin ids. Coins present mean the money left (record PayoutSent if the crash came before it, then
 * PayoutConfirmed at depth); coins absent with the inputs unspent mean the same transactions are pushed again
 * (the wallet signs deterministically, so it is the same spend bundle and a node takes it once). A new payout is
 * planned only when none is unresolved, so a farmer is never paid twice and a plan is never dropped.
 *
 * Two cases reach past that: an abandoned payout whose transactions land anyway (see watchAbandoned: recorded as
 * paid, and the next plan spends its inputs so that both cannot land), and a confirmed payout orphaned by a reorg
 * deeper than the confirmation threshold (see guardConfirmed: the same transactions are pushed again). A coin on
 * chain counts for one payout only (the view's claimedCoins), since two payouts with the same parent can expect
 * the same coins.
 *
 * The wallet is asked to sign without pushing: its spend bundle is checked against the recorded coin ids first and
 * pushed to the node only when it matches, and pushing the same bundle again is harmless.
 */
export class PayoutSaga {
  private readonly view: PayoutSagaView = emptyPayoutSagaView();
  private position: GlobalPosition | undefined;
  private control: PayoutsControlState = foldPayoutsControl([]);
  private readonly fileExists: (path: string) => boolean;
  private readonly log: (line: string) => void;
  private readonly runner: StreamCommandRunner;
  /** Abandoned payouts none of whose transactions can land any more (an input of each is spent elsewhere). */
  private readonly cannotLand = new Set<string>();

  constructor(private readonly deps: PayoutSagaDeps) {
    this.fileExists = deps.fileExists ?? existsSync;
    this.log = deps.log ?? (() => undefined);
    this.runner = new StreamCommandRunner(deps.store);
  }

  /** The payouts as the saga last read them. */
  payouts(): SagaPayout[] {
    return [...this.view.payouts.values()].sort((a, b) => a.planned.sequence - b.planned.sequence);
  }

  /** One pass: catch up with the ledger, record pause switches, reconcile, then plan and send when nothing is unresolved. */
  async runOnce(): Promise<PayoutRunReport> {
    const report: PayoutRunReport = { paused: false, pauseReasons: [], planned: [], sent: [], confirmed: [], failed: [], waiting: [] };
    await this.catchUp();
    await this.recordPauseSwitches();
    report.paused = this.control.paused;
    report.pauseReasons = Object.entries(this.control.pausedBy).map(([by, record]) => `${by}: ${record!.reason}`);
    // A syncing node answers "no such coin" for coins it has not reached: nothing is decided from that.
    const node = await this.deps.chain.getBlockchainState();
    if (!node.sync.synced || node.peak === null) {
      report.skipped = 'the full node is not synced';
      return report;
    }

    for (const payout of unresolvedPayouts(this.view)) await this.reconcile(payout, report);
    const abandoned = await this.watchAbandoned(report);
    const orphaned = await this.guardConfirmed(report, node.peak.height);
    await this.catchUp();
    if (report.paused || unresolvedPayouts(this.view).length > 0 || abandoned.hold || orphaned) return report;

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

  /** Reads what was appended since the last run into the planner's ledger and the saga's view. */
  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.deps.store.readAll({ ...(this.position === undefined ? {} : { after: this.position }), maxCount: 2000 });
      if (page.length === 0) return;
      for (const event of page) this.apply(event);
      this.position = page[page.length - 1]!.position;
    }
  }

  private apply(event: RecordedEvent): void {
    this.deps.planner.apply(event);
    applyToSagaView(this.view, event.stream, event.revision, event);
    const seen = this.control.revision !== undefined && event.revision <= this.control.revision;
    if ((event.type === 'PayoutsPaused' || event.type === 'PayoutsResumed') && !seen) {
      this.control = foldPayoutsControl([...this.control.history, { type: event.type, data: event.data } as never], event.revision);
    }
  }

  /** Config and pause file are switches too; the saga records when it sees them flip, so the ledger says why nothing was paid. */
  private async recordPauseSwitches(): Promise<void> {
    const settings = this.deps.settings.payouts;
    const now = Math.floor(this.deps.now());
    const byConfig = settings.paused;
    if ((this.control.pausedBy.config !== undefined) !== byConfig) {
      await setPayoutsPaused(this.deps.store, byConfig, byConfig ? 'payouts.paused is set in the configuration' : 'payouts.paused is no longer set', 'config', now);
    }
    const file = settings.pauseFile;
    const byFile = file !== null && this.fileExists(file);
    if ((this.control.pausedBy.pause_file !== undefined) !== byFile) {
      await setPayoutsPaused(
        this.deps.store,
        byFile,
        byFile ? `pause file ${file} exists` : file === null ? 'no pause file is configured' : `pause file ${file} was removed`,
        'pause_file',
        now,
      );
    }
    this.control = await readPayoutsControl(this.deps.store);
    await this.catchUp();
  }

  private scheme(): PayoutSchemeConfig {
    const s = this.deps.settings;
    const p = s.payouts;
    return {
      name: p.scheme,
      ...(p.scheme === 'pplns' ? (p.pplnsWindowPoints !== null ? { windowPoints: p.pplnsWindowPoints.toString() } : { windowSeconds: p.pplnsWindowSeconds }) : {}),
      feeBasisPoints: s.feeBasisPoints,
      poolFeePuzzleHash: p.poolFeePuzzleHash ?? s.targetPuzzleHash,
      minimumPayout: p.minimumPayout.toString(),
      maxAdditionsPerTransaction: p.maxAdditionsPerTransaction,
      blockchainFeePerTransaction: p.blockchainFeePerTransaction.toString(),
    };
  }

  /**
   * An abandoned payout returned its money to the balances, but its transactions may still be in some mempool (a
   * crash after the push leaves no trace of it in the ledger). Until each of them provably cannot land (an input
   * spent by something else), this looks for its coins every run:
   * - all of them on chain: it landed after all. Once buried, PayoutConfirmed is recorded and the ledger takes the
   *   returned money back; until then nothing new is planned (a plan now would pay those balances again).
   * - some of them: part of it landed. Nothing new is planned (the ledger cannot yet say which balances were
   *   paid), and the log says the operator must settle it.
   * - none, with a transaction whose inputs are all unspent: that transaction could still land, so the next plan
   *   must spend its inputs (`mustSpend`), which makes the two mutually exclusive on chain.
   */
  private async watchAbandoned(report: PayoutRunReport): Promise<{ hold: boolean; mustSpend: Coin[] }> {
    const mustSpend = new Map<string, Coin>();
    let hold = false;
    // Oldest first: when two of them expect the same coins, the earlier one is the one that was on the network.
    for (const payout of [...this.view.payouts.values()].sort((a, b) => a.planned.sequence - b.planned.sequence)) {
      if (payout.status !== 'abandoned' || this.cannotLand.has(payout.stream)) continue;
      const id = payout.planned.payoutId;
      const txs = payout.planned.transactions;
      const names = [...txs.flatMap(expectedCoinIds), ...txs.flatMap((tx) => tx.inputCoinIds)];
      let records = new Map<string, CoinRecord>();
      if (names.length > 0) for (const record of await this.deps.chain.getCoinRecordsByNames(names, { includeSpentCoins: true })) records.set(coinId(record.coin), record);
      records = unclaimed(this.view, id, records);
      const landed = txs.map((tx) => expectedCoinIds(tx).every((coin) => records.has(coin)));
      if (txs.length > 0 && landed.every(Boolean)) {
        const peak = (await this.deps.chain.getBlockchainState()).peak?.height ?? 0;
        const confirmedHeight = Math.max(...txs.flatMap(expectedCoinIds).map((coin) => records.get(coin)!.confirmedBlockIndex));
        if (confirmedHeight <= peak - this.deps.settings.confirmationSecurityThreshold) {
          await this.record(payout, { type: 'ConfirmPayout', payoutId: id, confirmedHeight, now: Math.floor(this.deps.now()) });
          this.log(`payout ${id} was abandoned but its coins are on chain (height ${confirmedHeight}): recorded as paid, the balances it returned are taken back`);
          report.confirmed.push(id);
        } else {
          hold = true;
          report.waiting.push(id);
        }
        continue;
      }
      if (landed.some(Boolean)) {
        hold = true;
        report.waiting.push(id);
        this.log(`payout ${id} was abandoned but some of its transactions landed: no new payout until an operator settles it`);
        continue;
      }
      let open = false;
      for (const tx of txs) {
        const inputs = tx.inputCoinIds.map((coin) => records.get(coin));
        if (inputs.some((record) => record === undefined || record.spent)) continue;
        open = true;
        for (const record of inputs) mustSpend.set(coinId(record!.coin), record!.coin);
      }
      if (!open) this.cannotLand.add(payout.stream);
    }
    return { hold, mustSpend: [...mustSpend.values()] };
  }

  /**
   * A confirmed payout is buried only as deep as the confirmation threshold: a deeper reorg can take its coins
   * away, and a node that restarted may not put the transactions back in its mempool. For payouts confirmed within
   * the chain follower's window (the deepest reorg the pool can see), this checks the coins are still there and, if
   * not, pushes the same signed transactions again (same coins: nothing can be paid twice). If an input was spent
   * by something else on the new chain the payout cannot land again: that is logged for the operator. Either way
   * nothing new is planned until the coins are back. Returns whether any confirmed payout is missing its coins.
   */
  private async guardConfirmed(report: PayoutRunReport, peak: number): Promise<boolean> {
    const window = this.deps.settings.chainFollowerWindow ?? DEFAULT_REORG_WATCH_BLOCKS;
    let missing = false;
    for (const payout of this.view.payouts.values()) {
      if (payout.status !== 'confirmed' || payout.confirmed === null || payout.confirmed.confirmedHeight <= peak - window) continue;
      const txs = payout.planned.transactions;
      const expected = txs.flatMap(expectedCoinIds);
      if (expected.length === 0) continue;
      const found = new Set((await this.deps.chain.getCoinRecordsByNames(expected, { includeSpentCoins: true })).map((r) => coinId(r.coin)));
      const gone = txs.filter((tx) => !expectedCoinIds(tx).every((coin) => found.has(coin)));
      if (gone.length === 0) continue;
      missing = true;
      report.waiting.push(payout.planned.payoutId);
      // A pause holds every send, this one included; the check resumes with the payouts.
      if (this.control.paused) continue;
      try {
        await this.checkInputsUnspent(gone);
        for (const signed of await this.signAll(gone, { allowSpentInputs: false })) {
          const result = await this.deps.chain.pushTx(signed.bundle);
          if (result.status !== 'SUCCESS' && result.status !== 'PENDING') throw new SendRefused(`node answered ${result.status} for ${signed.id}`, false);
        }
        this.log(`payout ${payout.planned.payoutId} (confirmed at ${payout.confirmed.confirmedHeight}) was orphaned by a reorg: its transactions were pushed again`);
      } catch (error) {
        this.log(`payout ${payout.planned.payoutId} (confirmed at ${payout.confirmed.confirmedHeight}) was orphaned by a reorg and cannot be pushed again (${(error as Error).message}): an operator must settle it`);
      }
    }
    return missing;
  }

  /** Plans the next payout from the ledger and the wallet's buried coins; records it with "no stream". */
  private async plan(mustSpend: Coin[]): Promise<PayoutPlanned['data'] | null> {
    if (this.position === undefined) return null;
    const state = await this.deps.chain.getBlockchainState();
    const peak = state.peak?.height;
    if (peak === undefined) return null;
    const threshold = this.deps.settings.confirmationSecurityThreshold;
    const target = this.deps.settings.targetPuzzleHash;
    // Only buried coins: a payout funded by a coin a reorg could remove would have to be planned again.
    const walletCoins = (await this.deps.chain.getCoinRecordsByPuzzleHash(target, { includeSpentCoins: false }))
      .filter((record) => !record.spent && record.confirmedBlockIndex <= peak - threshold)
      .map((record) => record.coin);
    const sequence = this.view.lastSequence + 1;
    const planned = this.deps.planner.plan({
      sequence,
      ledgerPosition: this.position,
      now: Math.floor(this.deps.now()),
      scheme: this.scheme(),
      configVersion: this.deps.settings.payouts.configVersion,
      walletCoins,
      mustSpend,
      changePuzzleHash: target,
    });
    if (planned === null) return null;
    const stream = payoutStream(planned.sequence);
    try {
      const { events } = await this.runner.run(stream, payoutDecider, { type: 'PlanPayout', plan: planned }, { cache: false, expectNew: true, idempotencyKey: 'plan' });
      if (events.length === 0) return null;
    } catch (error) {
      // Another instance planned this sequence first: its plan stands and is reconciled next run.
      if (error instanceof DomainError && error.reason === 'INVALID_STATE') return null;
      throw error;
    }
    // Both instances' first events share one deterministic id (stream, revision 0, 'plan'), and a store answers a
    // repeated id at the same revision as the original append: only the plan read back is the one recorded.
    const recorded = (await this.deps.store.readStream(stream, { maxCount: 1 }))[0];
    if (recorded === undefined || canonicalJson(recorded.data) !== canonicalJson(planned)) return null;
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
  private async settle(payout: SagaPayout): Promise<'sent' | 'confirmed' | 'failed' | null> {
    const txs = payout.planned.transactions;
    const allExpected = txs.flatMap(expectedCoinIds);
    let found = new Map<string, CoinRecord>();
    if (allExpected.length > 0) {
      for (const record of await this.deps.chain.getCoinRecordsByNames(allExpected, { includeSpentCoins: true })) found.set(coinId(record.coin), record);
    }
    found = unclaimed(this.view, payout.planned.payoutId, found);
    const landed = txs.map((tx) => expectedCoinIds(tx).every((id) => found.has(id)));
    const now = Math.floor(this.deps.now());

    if (landed.every(Boolean)) {
      let recorded: 'sent' | 'confirmed' | null = null;
      if (payout.sent === null) {
        // The money left before PayoutSent was recorded (a crash after the send): record it now.
        const signed = await this.signAll(txs, { allowSpentInputs: true });
        await this.record(payout, { type: 'RecordPayoutSent', payoutId: payout.planned.payoutId, transactionIds: signed.map((s) => s.id), now });
        recorded = 'sent';
      }
      const state = await this.deps.chain.getBlockchainState();
      const peak = state.peak?.height ?? 0;
      const confirmedHeight = found.size === 0 ? peak : Math.max(...[...found.values()].map((r) => r.confirmedBlockIndex));
      if (confirmedHeight <= peak - this.deps.settings.confirmationSecurityThreshold) {
        await this.record(payout, { type: 'ConfirmPayout', payoutId: payout.planned.payoutId, confirmedHeight, now });
        this.log(`payout ${payout.planned.payoutId} confirmed at height ${confirmedHeight}`);
        return 'confirmed';
      }
      return recorded;
    }

    if (this.control.paused) return null;
    // The reference pool waits for its wallet too: an unsynced wallet may not know the coins it is asked to sign.
    if (!(await this.deps.wallet.getSyncStatus()).synced) return null;
    const lastFailure = payout.failures[payout.failures.length - 1];
    if (lastFailure !== undefined) {
      const backoff = this.deps.settings.payouts.retryBackoffSeconds * 2 ** Math.max(0, payout.failures.length - 1);
      if (now < lastFailure.failedAt + backoff) return null;
    }

    const anyLanded = landed.some(Boolean);
    const attempt = payout.failures.length + 1;
    let signed: SignedTransaction[] = [];
    let pushing = false;
    let pushedAny = false;
    try {
      const pending = txs.filter((_, i) => !landed[i]);
      await this.checkInputsUnspent(pending);
      signed = await this.signAll(txs, { allowSpentInputs: anyLanded });
      for (let i = 0; i < txs.length; i++) {
        if (landed[i]) continue;
        pushing = true;
        const result = await this.deps.chain.pushTx(signed[i]!.bundle);
        if (result.status !== 'SUCCESS' && result.status !== 'PENDING') throw new SendRefused(`node answered ${result.status} for ${signed[i]!.id}`, false);
        pushedAny = true;
      }
    } catch (error) {
      // A block may have taken the transactions between our look and the send: then nothing failed.
      const stillMissing = txs.filter((_, i) => !landed[i]).flatMap(expectedCoinIds);
      const again = new Set((await this.deps.chain.getCoinRecordsByNames(stillMissing, { includeSpentCoins: true })).map((r) => coinId(r.coin)));
      if (stillMissing.some((id) => again.has(id))) return null;
      const final = error instanceof SendRefused && error.final;
      // Some transactions are in the mempool when an earlier push of this attempt succeeded; and a push the node did
      // not answer may have reached it (the request went out, the answer did not come back).
      const unanswered = pushing && !(error instanceof SendRefused) && !(error instanceof ChiaRpcError && error.kind === 'rpc') && !isRefusalInProcess(error);
      const maybeSent = pushedAny || unanswered;
      const mayBeOnTheNetwork = payout.everSent || maybeSent || payout.failures.some((f) => f.reason.startsWith(MAYBE_SENT));
      // Abandoning returns the money to the balances, so it is only done when the transactions cannot land: an
      // input was spent elsewhere, or every attempt failed before the network could have taken them. A payout
      // part of which is on chain, or that may be in a mempool, keeps retrying (and says so) until it resolves.
      // A final refusal ends the payout only if none of its transactions can still land from some mempool.
      const finalForAll = final && (!mayBeOnTheNetwork || (await this.allCannotLand(txs.filter((_, i) => !landed[i]))));
      const maxAttempts = anyLanded ? Number.MAX_SAFE_INTEGER : finalForAll ? attempt : mayBeOnTheNetwork ? Number.MAX_SAFE_INTEGER : this.deps.settings.payouts.maxAttempts;
      const willRetry = attempt < maxAttempts;
      const reason = `${maybeSent ? MAYBE_SENT : ''}${(error as Error).message}${anyLanded ? ' (part of this payout is on chain: retrying until resolved)' : ''}`;
      await this.record(payout, { type: 'FailPayout', payoutId: payout.planned.payoutId, reason, attempt, maxAttempts, now });
      this.log(`payout ${payout.planned.payoutId} attempt ${attempt} failed${willRetry ? '' : ' for good'}: ${reason}`);
      return 'failed';
    }
    this.deps.crashPoint?.('after-send');
    if (payout.sent !== null) return null;
    await this.record(payout, { type: 'RecordPayoutSent', payoutId: payout.planned.payoutId, transactionIds: signed.map((s) => s.id), now });
    this.log(`payout ${payout.planned.payoutId} sent: ${signed.map((s) => s.id).join(', ')}`);
    this.deps.crashPoint?.('after-sent');
    return 'sent';
  }

  /** Every one of these transactions has an input already spent (by something else: their own outputs are absent). */
  private async allCannotLand(txs: PayoutTransaction[]): Promise<boolean> {
    const ids = txs.flatMap((tx) => tx.inputCoinIds);
    const spent = new Set((await this.deps.chain.getCoinRecordsByNames(ids, { includeSpentCoins: true })).filter((r) => r.spent).map((r) => coinId(r.coin)));
    return txs.every((tx) => tx.inputCoinIds.some((id) => spent.has(id)));
  }

  /** A transaction whose coins are not there can never land: an input spent by something else (or gone in a reorg). */
  private async checkInputsUnspent(txs: PayoutTransaction[]): Promise<void> {
    const ids = txs.flatMap((tx) => tx.inputCoinIds);
    if (ids.length === 0) return;
    const records = new Map((await this.deps.chain.getCoinRecordsByNames(ids, { includeSpentCoins: true })).map((r) => [coinId(r.coin), r]));
    for (const id of ids) {
      const record = records.get(id);
      if (record === undefined) throw new SendRefused(`input coin ${id} is not on chain`, false);
      if (record.spent) throw new SendRefused(`input coin ${id} was spent by another transaction`, true);
    }
  }

  /**
   * Has the wallet sign each transaction with exactly its recorded coins and additions, and checks that the
   * spend bundle creates exactly the expected coins before anything can be pushed.
   */
  private async signAll(txs: PayoutTransaction[], options: { allowSpentInputs: boolean }): Promise<SignedTransaction[]> {
    const ids = txs.flatMap((tx) => tx.inputCoinIds);
    const coins = new Map<string, Coin>();
    for (const record of await this.deps.chain.getCoinRecordsByNames(ids, { includeSpentCoins: true })) {
      if (record.spent && !options.allowSpentInputs) continue;
      coins.set(coinId(record.coin), record.coin);
    }
    const signed: SignedTransaction[] = [];
    for (const tx of txs) {
      const inputs = tx.inputCoinIds.map((id) => {
        const coin = coins.get(id);
        if (coin === undefined) throw new SendRefused(`input coin ${id} is not an unspent coin on chain`, false);
        return coin;
      });
      const result = await this.deps.wallet.createSignedTransaction({
        walletId: STANDARD_WALLET_ID,
        additions: tx.additions.map((a) => ({ puzzleHash: a.puzzleHash, amount: BigInt(a.amount) })),
        fee: BigInt(tx.fee),
        coins: inputs,
        push: false,
        // A real wallet otherwise sends change to a fresh address; the plan expects it back at the target.
        txConfig: { reusePuzhash: true },
      });
      const record = result.signedTxs.length === 1 ? result.signedTxs[0]! : undefined;
      if (record === undefined || record.spendBundle === null) {
        throw new SendRefused(`the wallet answered with ${result.signedTxs.length} transaction(s) instead of one spend bundle`, true);
      }
      const created = record.additions.map(coinId).sort();
      const expected = expectedCoinIds(tx).sort();
      if (created.length !== expected.length || created.some((id, i) => id !== expected[i])) {
        throw new SendRefused(`the wallet's transaction creates other coins than planned (${created.join(',')} instead of ${expected.join(',')})`, true);
      }
      signed.push({ id: record.name, bundle: record.spendBundle });
    }
    return signed;
  }

  /**
   * Records a step through the payout decider (which refuses a step the stream's facts contradict). The
   * idempotency key names the step, so a retried append of the same step cannot record it twice.
   */
  private async record(payout: SagaPayout, command: Exclude<PayoutCommand, { type: 'PlanPayout' }>): Promise<void> {
    const key = command.type === 'FailPayout' ? `fail-${command.attempt ?? 0}` : `${command.type}-${payout.failures.length}`;
    const { events } = await this.runner.run(payout.stream, payoutDecider, command, { cache: false, idempotencyKey: key });
    // Fold them now so this run's later steps see them; catchUp re-applies them idempotently.
    let revision = payout.revision;
    for (const event of events) applyToSagaView(this.view, payout.stream, ++revision, event);
  }
}

/** The devnet chain used in process (no RPC in between) answers a refusal by throwing its own error. */
function isRefusalInProcess(error: unknown): boolean {
  return error instanceof Error && error.name === 'DevnetChainError';
}
