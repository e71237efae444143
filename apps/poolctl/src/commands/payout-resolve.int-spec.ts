import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CoinRecord, type CoinRecordQuery } from '@pool/chia';
import { DevnetChain, ensureDevnetChiaRoot, ManualClock, startFullNodeRpcServer, type RunningRpcServer } from '@pool/devnet';
import { payoutStream, type PayoutCoin, type PayoutPlanned, type SignedPayoutTransaction } from '@pool/domain';
import { openEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { planNextPayoutFixture, runPoolctl as poolctl, signPlanFixture, syntheticSchemes, walletCoinFixture, writeSyntheticLedgerFixture } from '@pool/testing';
import type { PayoutShow } from './payout-show';

/**
 * A node whose chain holds exactly the coins a spec puts there: a payout's coins as if some of its transactions had
 * landed (the spec's payouts are signed by a fixture, so no real spend of them can be made on a devnet). Served over
 * the devnet's mutual-TLS RPC, so `payouts show` reads it through the pool's real client.
 */
class ChainWithCoins extends DevnetChain {
  readonly records = new Map<string, CoinRecord>();

  constructor() {
    super({ clock: new ManualClock(), networkBlockEverySignagePoints: 0 });
  }

  put(coin: PayoutCoin, confirmedHeight: number, spentHeight = 0): void {
    this.records.set(coin.coinId, {
      coin: { parentCoinInfo: coin.parentCoinId, puzzleHash: coin.puzzleHash, amount: BigInt(coin.amount) },
      confirmedBlockIndex: confirmedHeight,
      spentBlockIndex: spentHeight,
      coinbase: false,
      timestamp: 1_800_000_000,
      spent: spentHeight > 0,
    });
  }

  override async getCoinRecordsByNames(names: string[], query: CoinRecordQuery = {}): Promise<CoinRecord[]> {
    return names.flatMap((name) => {
      const record = this.records.get(name);
      return record === undefined || (record.spent && !query.includeSpentCoins) ? [] : [record];
    });
  }
}


const WALLET_COINS = [1, 2, 3, 4, 5, 6].map((n) => walletCoinFixture(n, 10n ** 13n));

/**
 * The next payout planned honestly from the store with one payment per transaction (so its transactions can land
 * apart), on wallet coins whose ids hash; recorded as planned only.
 */
async function planNext(store: EventStore): Promise<PayoutPlanned['data']> {
  const scheme = { ...syntheticSchemes()[0]!, maxAdditionsPerTransaction: 1 };
  const plan = await planNextPayoutFixture(store, { rewardStream: 'reward-payout-resolve', coins: WALLET_COINS, configVersion: 'payout-resolve', scheme });
  await store.append(payoutStream(plan.sequence), [{ id: randomUUID(), type: 'PayoutPlanned', data: plan }], { expectedRevision: 'no_stream' });
  return plan;
}

/** Which planned transaction pays this puzzle hash. */
const txPaying = (plan: PayoutPlanned['data'], puzzleHash: string): number => plan.transactions.findIndex((tx) => tx.payments.some((p) => p.puzzleHash === puzzleHash));

/** A random hex secret: a config naming a node refuses placeholders. */
const secret = (): string => randomBytes(32).toString('hex');

describe('poolctl payouts show / resolve: what the saga leaves to an operator', () => {
  let dir: string;
  let chain: ChainWithCoins;
  let node: RunningRpcServer;
  /** The environment of a poolctl that reads the node above. */
  let withNode: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-payout-resolve-'));
    const chiaRoot = join(dir, 'chia');
    ensureDevnetChiaRoot(chiaRoot);
    chain = new ChainWithCoins();
    chain.farmBlocks(40);
    node = await startFullNodeRpcServer(chain, { chiaRoot });
    const config = join(dir, 'pool.yaml');
    writeFileSync(config, `pool:\n  target_puzzle_hash: "${secret()}"\n  jwt_secret_hex: "${secret()}"\n`);
    withNode = { POOL_CONFIG_FILE: config, POOL_FULL_NODE_HOST: '127.0.0.1', POOL_FULL_NODE_PORT: String(node.port), CHIA_ROOT: chiaRoot };
  });
  afterAll(async () => {
    await node?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => chain.records.clear());

  /** A ledger whose last payout is planned, then `steps` recorded on its stream (given the plan and its signing). */
  async function ledgerWith(
    name: string,
    steps: (plan: PayoutPlanned['data'], signing: SignedPayoutTransaction[]) => { type: string; data: unknown }[],
  ): Promise<{ url: string; plan: PayoutPlanned['data']; signing: SignedPayoutTransaction[] }> {
    const url = `sqlite:${join(dir, `${name}.db`)}`;
    const store = await openEventStore(url);
    try {
      await writeSyntheticLedgerFixture(store, { farmers: 8, payouts: 1, partialsPerPayout: 30, seed: 16 });
      const plan = await planNext(store);
      const signing = signPlanFixture(plan, WALLET_COINS);
      const events = steps(plan, signing).map((e) => ({ id: randomUUID(), ...e }));
      if (events.length > 0) await store.append(payoutStream(plan.sequence), events, { expectedRevision: 'any' });
      return { url, plan, signing };
    } finally {
      await store.close();
    }
  }

  async function head(url: string): Promise<string | undefined> {
    const store = await openEventStore(url);
    try {
      return await store.headPosition();
    } finally {
      await store.close();
    }
  }

  const show = async (url: string, id: string, env?: NodeJS.ProcessEnv): Promise<PayoutShow> => {
    const { lines, exitCode } = await poolctl(['payouts', 'show', id, '--json', '--event-store', url], env);
    expect(exitCode).toBe(0);
    return JSON.parse(lines.join('\n')) as PayoutShow;
  };

  const signedEvent = (plan: PayoutPlanned['data'], signing: SignedPayoutTransaction[]) => ({
    type: 'PayoutSigned',
    data: { payoutId: plan.payoutId, transactions: signing, signedAt: 1_800_000_200 },
  });
  const sentEvent = (plan: PayoutPlanned['data'], signing: SignedPayoutTransaction[]) => ({
    type: 'PayoutSent',
    data: { payoutId: plan.payoutId, transactionIds: signing.map((t) => t.transactionId), sentAt: 1_800_000_300, sentHeight: 5 },
  });

  /** Every planned input on chain, unspent, except those of `landed`, spent by them; and `landed`'s created coins. */
  function putOnChain(plan: PayoutPlanned['data'], signing: SignedPayoutTransaction[], landed: number[]): void {
    plan.transactions.forEach((tx, i) => {
      for (const id of tx.inputCoinIds) chain.put(WALLET_COINS.find((c) => c.coinId === id)!, 1, landed.includes(i) ? 10 : 0);
    });
    for (const i of landed) for (const coin of signing[i]!.createdCoins) chain.put(coin, 10);
  }

  it('a payout that partly landed after the saga abandoned it: show names what landed, resolve records paid-in-part, the audit lists it', async () => {
    const reason = 'not confirmed after 3 attempts';
    const { url, plan, signing } = await ledgerWith('partly-landed', (p, s) => [
      signedEvent(p, s),
      sentEvent(p, s),
      { type: 'PayoutFailed', data: { payoutId: p.payoutId, reason, attempt: 1, willRetry: false, failedAt: 1_800_000_400 } },
    ]);
    // At least the pool fee and one farmer, each in a transaction of its own.
    expect(plan.transactions.length).toBeGreaterThanOrEqual(2);
    const farmer = plan.allocations[0]!;
    const landed = txPaying(plan, farmer.puzzleHash);
    putOnChain(plan, signing, [landed]);

    // Field by field, each from the plan, its signing and the chain, not from what show computes.
    const before = await show(url, plan.payoutId, withNode);
    expect(before).toEqual({
      payoutId: plan.payoutId,
      sequence: plan.sequence,
      status: 'abandoned',
      signed: true,
      sent: true,
      bumped: 0,
      attempts: 1,
      lastFailure: `attempt 1: ${reason}`,
      resolution: null,
      toFarmers: plan.allocations.reduce((sum, a) => sum + BigInt(a.amount), 0n).toString(),
      transactions: plan.transactions.map((tx, i) => ({
        index: i,
        plannedFee: tx.fee,
        inputCoinIds: tx.inputCoinIds,
        payments: tx.payments,
        versions: [signing[i]!.transactionId],
        createdCoins: signing[i]!.createdCoins.map((c) => ({ coinId: c.coinId, onChain: i === landed })),
        landed: i === landed,
      })),
      // Abandoned: every allocation went back to its farmer's balance, landed or not (the resolution sorts that out).
      allocations: plan.allocations.map((a) => ({ launcherId: a.launcherId, puzzleHash: a.puzzleHash, amount: a.amount, transaction: txPaying(plan, a.puzzleHash), state: 'returned' })),
      next: [expect.stringMatching(new RegExp(`^plan no new payout: part of it landed; decide with \`poolctl payouts resolve ${plan.payoutId} --decision paid-in-part`))],
    });
    const text = await poolctl(['payouts', 'show', plan.payoutId, '--event-store', url], withNode);
    expect(text.lines).toContainEqual(expect.stringMatching(new RegExp(`^transaction ${landed}: .*; LANDED$`)));

    const resolved = await poolctl(['payouts', 'resolve', plan.payoutId, '--decision', 'paid-in-part', '--landed', String(landed), '--reason', 'farmer paid on chain', '--event-store', url]);
    expect(resolved).toEqual({ lines: [`payout ${plan.payoutId} resolved (paid-in-part): farmer paid on chain`], exitCode: 0 });

    const after = await show(url, plan.payoutId, withNode);
    expect(after.status).toBe('part-paid');
    expect(after.resolution).toMatchObject({ decision: 'paid-in-part', landedTransactions: [landed], reason: 'farmer paid on chain' });
    expect(after.allocations.map((a) => [a.launcherId, a.state])).toEqual(plan.allocations.map((a) => [a.launcherId, txPaying(plan, a.puzzleHash) === landed ? 'paid' : 'returned']));
    // The transactions that did not land still could: the next payout must spend their inputs.
    const openInputs = plan.transactions.flatMap((tx, i) => (i === landed ? [] : tx.inputCoinIds));
    expect(after.next).toEqual([`make the next payout spend ${openInputs.join(', ')}, so that it and this one can never both land`]);

    const audit = await poolctl(['audit', '--store', url]);
    expect(audit.lines).toContainEqual(
      expect.stringMatching(new RegExp(`^resolved by operator at position \\S+: ${plan.payoutId} paid-in-part \\(transactions ${landed} landed, ${farmer.amount} mojos paid to farmers\\): farmer paid on chain$`)),
    );
    expect(audit.lines[audit.lines.length - 1]).toMatch(/^audit passed: .* 0 mismatches, 0 problems/);
    expect(audit.exitCode).toBe(0);
  });

  it('a plan the wallet cannot cover (never signed): show says the saga will sign it again, resolve abandons it, the audit passes', async () => {
    const reason = 'wallet cannot cover the plan: spendable balance too low';
    const { url, plan } = await ledgerWith('cannot-cover', (p) => [{ type: 'PayoutFailed', data: { payoutId: p.payoutId, reason, attempt: 1, willRetry: true, failedAt: 1_800_000_400 } }]);
    // Without a node: what the saga does next depends on no coin.
    const before = await show(url, plan.payoutId);
    expect(before).toMatchObject({ status: 'planned', signed: false, sent: false, attempts: 1, lastFailure: `attempt 1: ${reason}` });
    expect(before.transactions.every((tx) => tx.versions.length === 0 && tx.landed === null)).toBe(true);
    expect(before.allocations.every((a) => a.state === 'owed')).toBe(true);
    expect(before.next).toEqual(['have the wallet sign it and record the bundles, then push them']);

    const resolved = await poolctl(['payouts', 'resolve', plan.payoutId, '--decision', 'abandon', '--reason', 'wallet short of coins', '--event-store', url]);
    expect(resolved.lines).toEqual([`payout ${plan.payoutId} resolved (abandon): wallet short of coins`]);
    const after = await show(url, plan.payoutId);
    expect(after).toMatchObject({ status: 'abandoned', resolution: { decision: 'abandon', landedTransactions: [], reason: 'wallet short of coins' } });
    expect(after.allocations.every((a) => a.state === 'returned')).toBe(true);

    const audit = await poolctl(['audit', '--store', url]);
    expect(audit.lines).toContainEqual(expect.stringMatching(new RegExp(`^resolved by operator at position \\S+: ${plan.payoutId} abandon: wallet short of coins$`)));
    expect(audit.lines[audit.lines.length - 1]).toMatch(/^audit passed: .* 0 mismatches, 0 problems/);
    expect(audit.exitCode).toBe(0);
  });

  describe('a stuck payout (sent, never confirmed)', () => {
    let url: string;
    let plan: PayoutPlanned['data'];
    let signing: SignedPayoutTransaction[];
    beforeAll(async () => {
      ({ url, plan, signing } = await ledgerWith('stuck', (p, s) => [signedEvent(p, s), sentEvent(p, s)]));
    });

    it('refuses bad input with a clear error and records nothing', async () => {
      const at = await head(url);
      const resolve = (...args: string[]) => poolctl(['payouts', 'resolve', ...args, '--event-store', url]);
      // A rejection is what poolctl's main turns into the message and exit code 1.
      await expect(poolctl(['payouts', 'show', 'payout-99999999', '--event-store', url])).rejects.toThrow('no payout payout-99999999 in the ledger');
      await expect(resolve('payout-99999999', '--decision', 'abandon', '--reason', 'x')).rejects.toThrow('no payout payout-99999999 in the ledger');
      await expect(resolve(plan.payoutId, '--decision', 'forget', '--reason', 'x')).rejects.toThrow('--decision must be abandon or paid-in-part, not forget');
      await expect(resolve(plan.payoutId, '--decision', 'abandon', '--reason', '  ')).rejects.toThrow(/a resolution needs a reason/);
      await expect(resolve(plan.payoutId, '--decision', 'paid-in-part', '--landed', '7', '--reason', 'x')).rejects.toThrow(`transaction 7 is not one of its ${plan.transactions.length}`);
      await expect(resolve(plan.payoutId, '--decision', 'paid-in-part', '--landed', '0,x', '--reason', 'x')).rejects.toThrow('--landed takes transaction indices separated by commas, not 0,x');
      await expect(resolve(plan.payoutId, '--decision', 'paid-in-part', '--reason', 'x')).rejects.toThrow(/paid-in-part names the transactions that landed/);
      await expect(resolve(plan.payoutId, '--decision', 'abandon', '--landed', '0', '--reason', 'x')).rejects.toThrow(/an abandonment names no landed transaction/);

      // A missing required option is commander's to refuse: it prints the error and exits 1.
      const exit = jest.spyOn(process, 'exit').mockImplementation((code) => {
        throw new Error(`exit ${code}`);
      });
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        await expect(resolve(plan.payoutId, '--decision', 'abandon')).rejects.toThrow('exit 1');
        expect(stderr).toHaveBeenCalledWith(expect.stringContaining("required option '--reason <text>' not specified"));
      } finally {
        exit.mockRestore();
        stderr.mockRestore();
      }
      expect(await head(url)).toBe(at);
    });

    it('show says what the saga will do with it, resolve abandons it, the audit passes', async () => {
      putOnChain(plan, signing, []);
      const before = await show(url, plan.payoutId, withNode);
      expect(before).toMatchObject({ status: 'sent', signed: true, sent: true, attempts: 0, resolution: null });
      expect(before.transactions.map((tx) => tx.landed)).toEqual(plan.transactions.map(() => false));
      expect(before.allocations.every((a) => a.state === 'owed')).toBe(true);
      // It waited 35 blocks since it was sent at height 5: the saga pushes it again or bumps its fee.
      expect(before.next).toEqual([expect.stringMatching(/^(re-sign transactions .* with a higher fee|push the recorded bundles of transactions)/)]);

      const resolved = await poolctl(['payouts', 'resolve', plan.payoutId, '--decision', 'abandon', '--reason', 'stuck in the mempool', '--event-store', url]);
      expect(resolved.lines).toEqual([`payout ${plan.payoutId} resolved (abandon): stuck in the mempool`]);
      const after = await show(url, plan.payoutId, withNode);
      expect(after.status).toBe('abandoned');
      // Its signed bundles could still land: the next payout spends their inputs.
      expect(after.next).toEqual([`make the next payout spend ${plan.transactions.flatMap((tx) => tx.inputCoinIds).join(', ')}, so that it and this one can never both land`]);

      const audit = await poolctl(['audit', '--store', url]);
      expect(audit.lines).toContainEqual(expect.stringMatching(new RegExp(`^resolved by operator at position \\S+: ${plan.payoutId} abandon: stuck in the mempool$`)));
      expect(audit.lines[audit.lines.length - 1]).toMatch(/^audit passed: .* 0 mismatches, 0 problems/);
      expect(audit.exitCode).toBe(0);
    });

    it('the same decision again records nothing; a contradicting one is refused', async () => {
      const at = await head(url);
      const again = await poolctl(['payouts', 'resolve', plan.payoutId, '--decision', 'abandon', '--reason', 'once more', '--event-store', url]);
      expect(again).toEqual({ lines: [`payout ${plan.payoutId}: this decision was already recorded`], exitCode: 0 });
      // Abandoned, it can still be declared paid in part (its coins may land late); that is the one way on.
      putOnChain(plan, signing, [0]);
      await poolctl(['payouts', 'resolve', plan.payoutId, '--decision', 'paid-in-part', '--landed', '0', '--reason', 'landed late', '--event-store', url]);
      const settled = await head(url);
      expect(settled).not.toBe(at);
      await expect(poolctl(['payouts', 'resolve', plan.payoutId, '--decision', 'abandon', '--reason', 'x', '--event-store', url])).rejects.toThrow(/is resolved as paid in part/);
      await expect(poolctl(['payouts', 'resolve', plan.payoutId, '--decision', 'paid-in-part', '--landed', '1', '--reason', 'x', '--event-store', url])).rejects.toThrow(/is resolved as paid in part/);
      expect(await head(url)).toBe(settled);
    });
  });
});
