import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChiaRpcError, coinId, coinWithMemos, type CreateSignedTransactionRequest, type CreateSignedTransactionResult, type SpendBundle, type WalletRpc } from '@pool/chia';
import { DEFAULT_POOL_SETTINGS, type PoolSettings } from '@pool/config';
import { DevnetChain } from '@pool/devnet';
import { DevnetWallet, type WalletBehaviour } from '@pool/devnet';
import { auditLedger, type LedgerSealed, payoutCommitment, type PayoutEvent } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { deterministicEventId, type EventStore } from '@pool/event-sourcing';
import { PayoutSaga, type PayoutCrashPoint } from './payout-saga';
import { LedgerPayoutPlanner } from './payout-planner';
import { PausePayoutsCommand, readPayoutsControl, ResumePayoutsCommand } from '@pool/commands';
import { openLedgerCommandBus, type LedgerCommandBus } from '@pool/testing';

const XCH = 1_000_000_000_000n;
const REWARD = (7n * XCH) / 4n;
const ALICE = { launcherId: 'aa'.repeat(32), puzzleHash: 'a1'.repeat(32) };
const BOB = { launcherId: 'bb'.repeat(32), puzzleHash: 'b1'.repeat(32) };
const THRESHOLD = 4;

class Crash extends Error {}

interface World {
  chain: DevnetChain;
  wallet: DevnetWallet;
  store: EventStore;
  settings: PoolSettings;
  clock: { t: number };
  dir: string;
  bus: LedgerCommandBus;
  saga(options?: { crashAt?: PayoutCrashPoint; wallet?: WalletRpc; settings?: Partial<PoolSettings['payouts']> }): PayoutSaga;
}

async function world(behaviour: WalletBehaviour): Promise<World> {
  const chain = new DevnetChain({ seed: 'payout-saga-spec', networkBlockEverySignagePoints: 0 });
  const wallet = new DevnetWallet(chain, { tag: 'payout-saga-spec', behaviour });
  const store = new InMemoryEventStore();
  const clock = { t: 1_800_000_000 };
  const dir = mkdtempSync(join(tmpdir(), 'payout-saga-spec-'));
  const bus = await openLedgerCommandBus(store);
  const settings: PoolSettings = {
    ...DEFAULT_POOL_SETTINGS,
    targetPuzzleHash: wallet.puzzleHash,
    confirmationSecurityThreshold: THRESHOLD,
    feeBasisPoints: 100,
    payouts: { ...DEFAULT_POOL_SETTINGS.payouts, retryBackoffSeconds: 60, maxAttempts: 3, pauseFile: join(dir, 'PAUSE') },
  };
  return {
    chain,
    wallet,
    store,
    settings,
    clock,
    dir,
    bus,
    saga: (options = {}) =>
      new PayoutSaga({
        store,
        commandBus: bus.commandBus,
        chain,
        wallet: options.wallet ?? wallet,
        settings: { ...settings, payouts: { ...settings.payouts, ...options.settings } },
        planner: new LedgerPayoutPlanner(),
        now: () => clock.t,
        crashPoint: (point) => {
          if (point === options.crashAt) throw new Crash(point);
        },
      }),
  };
}

/** Alice earns 3 points, Bob 1, and one pool reward is absorbed into a buried wallet coin. */
async function earnAndAbsorb(w: World): Promise<void> {
  for (const farmer of [ALICE, BOB]) {
    await w.store.append(`farmer-${farmer.launcherId}`, [{ id: deterministicEventId('reg', farmer.launcherId), type: 'FarmerRegistered', data: registered(farmer) }], {
      expectedRevision: 'no_stream',
    });
  }
  for (const [farmer, points, n] of [[ALICE, '3', 1], [BOB, '1', 2]] as const) {
    const proofHash = String(n).repeat(64);
    await w.store.append(
      `partial-${proofHash}`,
      [{ id: deterministicEventId('confirm', proofHash), type: 'PartialConfirmed', data: { launcherId: farmer.launcherId, proofHash, points, confirmedAt: w.clock.t } }],
      { expectedRevision: 'any' },
    );
  }
  const poolCoin = w.wallet.fund(REWARD);
  const absorbed = w.chain.farmBlock();
  w.chain.farmBlocks(THRESHOLD);
  const rewardCoinId = 'cc'.repeat(32);
  await w.store.append(
    `reward-${rewardCoinId}`,
    [
      {
        id: deterministicEventId('absorb', rewardCoinId),
        type: 'RewardAbsorbed',
        data: {
          coinId: rewardCoinId,
          launcherId: ALICE.launcherId,
          amount: REWARD.toString(),
          absorbTransactionId: 'dd'.repeat(32),
          absorbedHeight: absorbed.block.height,
          poolCoinId: coinId(poolCoin),
          fee: '0',
          absorbedAt: w.clock.t,
        },
      },
    ],
    { expectedRevision: 'no_stream' },
  );
}

function registered(farmer: { launcherId: string; puzzleHash: string }): object {
  return {
    launcherId: farmer.launcherId,
    authenticationPublicKey: '11'.repeat(48),
    ownerPublicKey: '22'.repeat(48),
    payoutInstructions: farmer.puzzleHash,
    payoutPuzzleHash: farmer.puzzleHash,
    p2SingletonPuzzleHash: '33'.repeat(32),
    delayTime: 604800,
    delayPuzzleHash: '44'.repeat(32),
    difficulty: '1',
    protocolVersion: 1,
    registeredAt: 1_800_000_000,
  };
}

async function payoutEvents(store: EventStore): Promise<{ stream: string; event: PayoutEvent }[]> {
  const all = await store.readAll({ filter: { streamPrefixes: ['payout-'] } });
  return all.map((e) => ({ stream: e.stream, event: { type: e.type, data: e.data } as PayoutEvent }));
}

async function receivedBy(chain: DevnetChain, puzzleHash: string): Promise<bigint[]> {
  return (await chain.getCoinRecordsByPuzzleHash(puzzleHash, { includeSpentCoins: true })).map((r) => r.coin.amount);
}

function plannedAmount(events: { event: PayoutEvent }[], launcherId: string): bigint {
  return events
    .map((e) => e.event)
    .filter((e) => e.type === 'PayoutPlanned')
    .flatMap((e) => (e.type === 'PayoutPlanned' ? e.data.allocations : []))
    .filter((a) => a.launcherId === launcherId)
    .reduce((sum, a) => sum + BigInt(a.amount), 0n);
}

// Every case under both wallet behaviours: Chia's own, and one that picks the origin coin, the order of spends and
// outputs at random and sends change to fresh addresses. Nothing the saga does may depend on those choices.
describe.each(['chia', 'shuffled'] as const)('PayoutSaga (wallet behaviour %s)', (behaviour) => {
  let w: World;
  beforeEach(async () => {
    w = await world(behaviour);
  });
  afterEach(async () => {
    rmSync(w.dir, { recursive: true, force: true });
    await w.bus.close();
  });

  it('plans, sends exactly the planned coins, and confirms once they are buried', async () => {
    await earnAndAbsorb(w);
    const saga = w.saga();
    const first = await saga.runOnce();
    expect(first.planned).toEqual(['payout-00000001']);
    expect(first.sent).toEqual(['payout-00000001']);
    const events = await payoutEvents(w.store);
    expect(events.map((e) => e.event.type)).toEqual(['PayoutPlanned', 'PayoutSigned', 'PayoutSent']);
    const planned = events[0]!.event;
    const signed = events[1]!.event;
    if (planned.type !== 'PayoutPlanned' || signed.type !== 'PayoutSigned') throw new Error('unreachable');
    // 1 % pool fee; the farmers' 99 % split 3:1.
    const pot = REWARD - REWARD / 100n;
    expect(planned.data.allocations.map((a) => [a.launcherId, BigInt(a.amount)])).toEqual([
      [ALICE.launcherId, (pot * 3n) / 4n],
      [BOB.launcherId, pot / 4n],
    ]);

    w.chain.farmBlock();
    expect(await receivedBy(w.chain, ALICE.puzzleHash)).toEqual([(pot * 3n) / 4n]);
    expect(await receivedBy(w.chain, BOB.puzzleHash)).toEqual([pot / 4n]);
    // Every coin the recorded bundle creates is on chain: the payments, and the change at the wallet's fresh address.
    const expected = signed.data.transactions.flatMap((tx) => tx.createdCoins.map((c) => c.coinId));
    expect((await w.chain.getCoinRecordsByNames(expected)).length).toBe(expected.length);

    // Not buried yet: nothing recorded, nothing new planned.
    expect(await saga.runOnce()).toMatchObject({ planned: [], confirmed: [], waiting: ['payout-00000001'] });
    w.chain.farmBlocks(THRESHOLD);
    expect((await saga.runOnce()).confirmed).toEqual(['payout-00000001']);
    expect((await payoutEvents(w.store)).map((e) => e.event.type)).toEqual(['PayoutPlanned', 'PayoutSigned', 'PayoutSent', 'PayoutConfirmed']);
    // Nothing left to distribute: a further run plans nothing.
    expect((await saga.runOnce()).planned).toEqual([]);
  });

  it('has every transaction carry, as a memo on chain, the seal through its plan and its allocations root; the audit checks both', async () => {
    for (let i = 0; i < 3; i++) w.wallet.fund(XCH);
    await earnAndAbsorb(w);
    // No sealer loop runs here: the saga has the plan sealed before it signs.
    expect((await w.saga({ settings: { maxAdditionsPerTransaction: 1 } }).runOnce()).sent).toEqual(['payout-00000001']);
    w.chain.farmBlock();
    const all = await w.store.readAll();
    const seal = all.find((e) => e.type === 'LedgerSealed' && (e.data as LedgerSealed['data']).payoutId === 'payout-00000001')!.data as LedgerSealed['data'];
    const [planned, signed] = (await payoutEvents(w.store)).map((e) => e.event);
    if (planned!.type !== 'PayoutPlanned' || signed!.type !== 'PayoutSigned') throw new Error('unexpected events');
    const commitment = signed.data.commitment!;
    expect(commitment).toEqual(payoutCommitment(planned.data, seal));
    expect(signed.data.transactions).toHaveLength(3);
    for (const tx of signed.data.transactions) {
      const carrier = tx.createdCoins.find((c) => c.memos !== undefined)!;
      // The first planned payment of each transaction carries it, and the chain gives it back from the parent's spend.
      expect([carrier.puzzleHash, carrier.amount]).toEqual([planned.data.transactions[tx.index]!.payments[0]!.puzzleHash, planned.data.transactions[tx.index]!.payments[0]!.amount]);
      const onChain = await coinWithMemos(w.chain, carrier.coinId);
      expect(onChain!.memos.map((memo) => Buffer.from(memo, 'hex').toString('utf8'))).toEqual([commitment.memo]);
    }
    // (This ledger's rewards have no RewardDetected: only what the signing and the seals say is looked at here.)
    const signingProblems = async (events: typeof all) => (await auditLedger(events)).problems.map((p) => p.message).filter((m) => /PayoutSigned|seal/.test(m));
    expect(await signingProblems(all)).toEqual([]);
    // A signing that names another seal hash than the seal's is named by the audit.
    const doctored = all.map((e) =>
      e.type === 'PayoutSigned' ? { ...e, data: { ...signed.data, commitment: { ...commitment, sealHash: 'ee'.repeat(32), memo: commitment.memo.replace(commitment.sealHash, 'ee'.repeat(32)) } } } : e,
    );
    expect(await signingProblems(doctored)).toContainEqual(expect.stringMatching(/PayoutSigned for payout-00000001: its commitment names seal \d+ with hash e{64}, the seal's is/));
  });

  it('splits a payout into several transactions with their blockchain fees, each from its own coins', async () => {
    for (let i = 0; i < 3; i++) w.wallet.fund(XCH);
    await earnAndAbsorb(w);
    const saga = w.saga({ settings: { maxAdditionsPerTransaction: 1, blockchainFeePerTransaction: 1000n } });
    expect((await saga.runOnce()).sent).toEqual(['payout-00000001']);
    const [planned, , sent] = (await payoutEvents(w.store)).map((e) => e.event);
    if (planned!.type !== 'PayoutPlanned' || sent!.type !== 'PayoutSent') throw new Error('unexpected events');
    // Pool fee, Alice and Bob: one output per transaction, 1000 mojos of fee each.
    expect(planned.data.transactions.map((tx) => [tx.payments.length, tx.fee])).toEqual([
      [1, '1000'],
      [1, '1000'],
      [1, '1000'],
    ]);
    expect(planned.data.blockchainFee).toBe('3000');
    expect(new Set(planned.data.transactions.flatMap((tx) => tx.inputCoinIds)).size).toBe(planned.data.transactions.flatMap((tx) => tx.inputCoinIds).length);
    expect(new Set(sent.data.transactionIds).size).toBe(3);

    const block = w.chain.farmBlock();
    expect(block.block.fees).toBe(3000n);
    for (const allocation of planned.data.allocations) {
      expect(await receivedBy(w.chain, allocation.puzzleHash)).toEqual([BigInt(allocation.amount)]);
    }
    w.chain.farmBlocks(THRESHOLD);
    expect((await saga.runOnce()).confirmed).toEqual(['payout-00000001']);
  });

  it.each(['after-plan', 'after-sign', 'after-signed', 'after-send', 'after-sent'] as const)('recovers from a crash %s and pays every farmer once', async (crashAt) => {
    await earnAndAbsorb(w);
    await expect(w.saga({ crashAt }).runOnce()).rejects.toThrow(Crash);
    // The send (if it happened) lands while the saga is down.
    w.chain.farmBlock();
    const restarted = w.saga();
    await restarted.runOnce();
    w.chain.farmBlocks(THRESHOLD + 1);
    await restarted.runOnce();
    await restarted.runOnce();

    const events = await payoutEvents(w.store);
    // One signing: a crash between signing and recording left nothing to reuse, and nothing was pushed.
    expect(events.map((e) => e.event.type)).toEqual(['PayoutPlanned', 'PayoutSigned', 'PayoutSent', 'PayoutConfirmed']);
    for (const farmer of [ALICE, BOB]) {
      const paid = (await receivedBy(w.chain, farmer.puzzleHash)).reduce((a, b) => a + b, 0n);
      expect(paid).toBe(plannedAmount(events, farmer.launcherId));
      expect(await receivedBy(w.chain, farmer.puzzleHash)).toHaveLength(1);
    }
  });

  it('records the transaction id of a send that confirmed before PayoutSent was written', async () => {
    await earnAndAbsorb(w);
    await expect(w.saga({ crashAt: 'after-send' }).runOnce()).rejects.toThrow(Crash);
    const [mempoolName] = w.chain.mempoolNames();
    w.chain.farmBlocks(THRESHOLD + 1);
    const report = await w.saga().runOnce();
    expect(report.sent).toEqual([]);
    expect(report.confirmed).toEqual(['payout-00000001']);
    const sent = (await payoutEvents(w.store)).find((e) => e.event.type === 'PayoutSent')!.event;
    expect(sent.data).toMatchObject({ transactionIds: [mempoolName] });
  });

  it('abandons a payout whose input was spent elsewhere, and pays the same balances next without waiting for points', async () => {
    await earnAndAbsorb(w);
    await expect(w.saga({ crashAt: 'after-plan' }).runOnce()).rejects.toThrow(Crash);
    // The pool coin is spent by someone else (an operator sweeping the wallet) before the saga comes back.
    const [poolCoin] = await w.chain.getCoinRecordsByPuzzleHash(w.wallet.puzzleHash);
    await w.wallet.createSignedTransaction({ additions: [{ puzzleHash: w.wallet.puzzleHash, amount: REWARD }], fee: 0n, coins: [poolCoin!.coin], push: true });
    w.chain.farmBlocks(THRESHOLD + 1);

    const saga = w.saga();
    const report = await saga.runOnce();
    expect(report.failed).toEqual(['payout-00000001']);
    expect(saga.payouts()[0]!.status).toBe('abandoned');
    // The balances went back to the farmers; with no new points the same run pays them (from the swept coin),
    // distributing nothing new: the first payout's pool fee stays in the pot for a run with points.
    expect(report.planned).toEqual(['payout-00000002']);
    const events = await payoutEvents(w.store);
    // Never signed: nothing of it could be on the network, so it is abandoned at once.
    expect(events.map((e) => e.event.type)).toEqual(['PayoutPlanned', 'PayoutFailed', 'PayoutPlanned', 'PayoutSigned', 'PayoutSent']);
    expect(events[1]!.event.data).toMatchObject({ attempt: 1, willRetry: false });
    const [first, , second] = events.map((e) => e.event);
    if (first!.type !== 'PayoutPlanned' || second!.type !== 'PayoutPlanned') throw new Error('unreachable');
    expect(second.data.allocations.map((a) => [a.launcherId, a.amount, a.points])).toEqual(first.data.allocations.map((a) => [a.launcherId, a.amount, '0']));
    expect(second.data).toMatchObject({ rewardCoinIds: [], rewardTotal: '0', returnedFunds: '0', poolFee: { amount: '0' } });
    expect(second.data.transactions[0]!.inputCoinIds).not.toEqual(first.data.transactions[0]!.inputCoinIds);
    w.chain.farmBlock();
    expect(await receivedBy(w.chain, ALICE.puzzleHash)).toEqual([BigInt(first.data.allocations.find((a) => a.launcherId === ALICE.launcherId)!.amount)]);
  });

  it('never abandons a payout part of which is on chain, even when the rest can no longer be sent', async () => {
    for (let i = 0; i < 3; i++) w.wallet.fund(XCH);
    await earnAndAbsorb(w);
    const settings = { maxAdditionsPerTransaction: 1, maxAttempts: 1 };
    await expect(w.saga({ crashAt: 'after-signed', settings }).runOnce()).rejects.toThrow(Crash);
    const [planned, signed] = (await payoutEvents(w.store)).map((e) => e.event);
    if (planned!.type !== 'PayoutPlanned' || signed!.type !== 'PayoutSigned') throw new Error('unexpected events');
    const [, second] = planned.data.transactions;
    // Someone pushes the first recorded bundle by hand, and spends an input of the second elsewhere.
    const coinOf = async (id: string) => (await w.chain.getCoinRecordsByNames([id]))[0]!.coin;
    const bundle = signed.data.transactions[0]!.spendBundle;
    await w.chain.pushTx({ ...bundle, coinSpends: bundle.coinSpends.map((cs) => ({ ...cs, coin: { ...cs.coin, amount: BigInt(cs.coin.amount) } })) });
    await w.wallet.createSignedTransaction({ additions: [{ puzzleHash: w.wallet.puzzleHash, amount: 1n }], fee: 0n, coins: [await coinOf(second!.inputCoinIds[0]!)], push: true });
    w.chain.farmBlocks(THRESHOLD + 1);

    const saga = w.saga({ settings });
    expect((await saga.runOnce()).failed).toEqual(['payout-00000001']);
    const failed = (await payoutEvents(w.store)).map((e) => e.event).find((e) => e.type === 'PayoutFailed')!;
    expect(failed.data).toMatchObject({ attempt: 1, willRetry: true, reason: expect.stringMatching(/spent by another transaction .*part of this payout is on chain/) });
    expect(saga.payouts()[0]!.status).toBe('planned');
    // Nothing else is planned while it is unresolved, so its farmers cannot be paid a second time.
    w.clock.t += 3600;
    expect(await saga.runOnce()).toMatchObject({ planned: [] });
  });

  it('retries a failed send after the backoff and gives up after the last attempt', async () => {
    await earnAndAbsorb(w);
    let refusals = 1;
    const flaky: WalletRpc = Object.assign(Object.create(w.wallet) as WalletRpc, {
      createSignedTransaction: async (request: CreateSignedTransactionRequest): Promise<CreateSignedTransactionResult> => {
        if (refusals-- > 0) throw new Error('wallet is not synced');
        return w.wallet.createSignedTransaction(request);
      },
    });
    const saga = w.saga({ wallet: flaky });
    expect((await saga.runOnce()).failed).toEqual(['payout-00000001']);
    w.clock.t += 30;
    expect(await saga.runOnce()).toMatchObject({ sent: [], failed: [], waiting: ['payout-00000001'] });
    w.clock.t += 31;
    expect((await saga.runOnce()).sent).toEqual(['payout-00000001']);
    const failed = (await payoutEvents(w.store)).find((e) => e.event.type === 'PayoutFailed')!.event;
    expect(failed.data).toMatchObject({ attempt: 1, willRetry: true, reason: 'wallet is not synced' });

    const broken = await world(behaviour);
    try {
      await earnAndAbsorb(broken);
      const never: WalletRpc = Object.assign(Object.create(broken.wallet) as WalletRpc, {
        createSignedTransaction: async (): Promise<CreateSignedTransactionResult> => {
          throw new Error('wallet is down');
        },
      });
      const doomed = broken.saga({ wallet: never });
      for (let i = 0; i < 3; i++) {
        await doomed.runOnce();
        broken.clock.t += 3600;
      }
      const attempts = (await payoutEvents(broken.store)).filter((e) => e.stream === 'payout-00000001' && e.event.type === 'PayoutFailed').map((e) => e.event.data);
      expect(attempts).toEqual([
        expect.objectContaining({ attempt: 1, willRetry: true }),
        expect.objectContaining({ attempt: 2, willRetry: true }),
        expect.objectContaining({ attempt: 3, willRetry: false }),
      ]);
      expect(doomed.payouts()[0]!.status).toBe('abandoned');
    } finally {
      rmSync(broken.dir, { recursive: true, force: true });
      await broken.bus.close();
    }
  });

  it('does nothing while the node or the wallet is not synced', async () => {
    await earnAndAbsorb(w);
    const syncing = new Proxy(w.chain, {
      get: (chain, key) =>
        key === 'getBlockchainState'
          ? async () => ({ ...(await chain.getBlockchainState()), sync: { syncMode: true, synced: false, syncTipHeight: 99, syncProgressHeight: 3 } })
          : (Reflect.get(chain, key) as (...args: unknown[]) => unknown).bind(chain),
    });
    const onSyncingNode = new PayoutSaga({ store: w.store, commandBus: w.bus.commandBus, chain: syncing, wallet: w.wallet, settings: w.settings, planner: new LedgerPayoutPlanner(), now: () => w.clock.t });
    expect(await onSyncingNode.runOnce()).toMatchObject({ skipped: 'the full node is not synced', planned: [] });
    expect(await payoutEvents(w.store)).toEqual([]);

    let synced = false;
    const wallet: WalletRpc = Object.assign(Object.create(w.wallet) as WalletRpc, {
      getSyncStatus: async () => ({ synced, syncing: !synced, genesisInitialized: true }),
    });
    const saga = w.saga({ wallet });
    // Planned (nothing is signed for a plan), but not sent and no attempt spent while the wallet catches up.
    expect(await saga.runOnce()).toMatchObject({ planned: ['payout-00000001'], sent: [], failed: [], waiting: ['payout-00000001'] });
    synced = true;
    expect((await saga.runOnce()).sent).toEqual(['payout-00000001']);
  });

  it('never abandons a payout whose push may have reached the node, and records it once the node confirms it has it', async () => {
    await earnAndAbsorb(w);
    // The node takes the bundle but the answer is lost: a timeout, as far as the saga can tell.
    const pushTx = async (bundle: SpendBundle): Promise<never> => {
      await w.chain.pushTx(bundle);
      throw new ChiaRpcError({ kind: 'timeout', endpoint: 'push_tx', target: 'node', attempts: 1, detail: 'no answer within 30 s' });
    };
    const lossy = new Proxy(w.chain, {
      get: (chain, key) => (key === 'pushTx' ? pushTx : (Reflect.get(chain, key) as unknown as (...args: unknown[]) => unknown).bind?.(chain) ?? Reflect.get(chain, key)),
    });
    const saga = new PayoutSaga({
      store: w.store,
      commandBus: w.bus.commandBus,
      chain: lossy,
      wallet: w.wallet,
      settings: { ...w.settings, payouts: { ...w.settings.payouts, maxAttempts: 1 } },
      planner: new LedgerPayoutPlanner(),
      now: () => w.clock.t,
    });
    expect((await saga.runOnce()).failed).toEqual(['payout-00000001']);
    const [, , failed] = (await payoutEvents(w.store)).map((e) => e.event);
    // One attempt allowed, yet it stays open: its transaction is in the mempool.
    expect(failed!.data).toMatchObject({ attempt: 1, willRetry: true, reason: expect.stringMatching(/^push unconfirmed: /) });
    expect(w.chain.mempoolNames()).toHaveLength(1);

    // It lands; the next run (a healthy node again) records it sent, with the id the mempool had, then confirms it.
    const [name] = w.chain.mempoolNames();
    w.chain.farmBlocks(THRESHOLD + 1);
    w.clock.t += 3600;
    const healthy = w.saga({ settings: { maxAttempts: 1 } });
    expect((await healthy.runOnce()).confirmed).toEqual(['payout-00000001']);
    const events = (await payoutEvents(w.store)).map((e) => e.event);
    expect(events.map((e) => e.type)).toEqual(['PayoutPlanned', 'PayoutSigned', 'PayoutFailed', 'PayoutSent', 'PayoutConfirmed']);
    expect(events[3]!.data).toMatchObject({ transactionIds: [name] });
    expect(await receivedBy(w.chain, ALICE.puzzleHash)).toHaveLength(1);
  });

  it('never plans a new payout while one is unresolved, and re-sends what a reorg dropped', async () => {
    await earnAndAbsorb(w);
    const saga = w.saga();
    expect((await saga.runOnce()).sent).toEqual(['payout-00000001']);
    // A second reward and more points arrive while payout 1 is in flight: nothing new is planned.
    const proofHash = '8'.repeat(64);
    await w.store.append(
      `partial-${proofHash}`,
      [{ id: deterministicEventId('confirm', proofHash), type: 'PartialConfirmed', data: { launcherId: BOB.launcherId, proofHash, points: '2', confirmedAt: w.clock.t } }],
      { expectedRevision: 'no_stream' },
    );
    w.wallet.fund(REWARD);
    w.chain.farmBlock();
    expect(await saga.runOnce()).toMatchObject({ planned: [], waiting: ['payout-00000001'] });

    // A reorg orphans the block with the payout and the new branch forgets the transaction: the saga pushes the
    // same spend bundle again (same coins, same id), it lands on the new branch and is confirmed once buried.
    w.chain.reorg(1, { newBlocks: 2, dropOrphanedTransactions: true });
    expect(await receivedBy(w.chain, ALICE.puzzleHash)).toEqual([]);
    expect(await saga.runOnce()).toMatchObject({ planned: [], failed: [], waiting: ['payout-00000001'] });
    const sent = (await payoutEvents(w.store)).find((e) => e.event.type === 'PayoutSent')!.event;
    expect(w.chain.mempoolNames()).toEqual(sent.type === 'PayoutSent' ? sent.data.transactionIds : []);
    w.chain.farmBlocks(THRESHOLD + 1);
    expect((await saga.runOnce()).confirmed).toEqual(['payout-00000001']);
    expect((await receivedBy(w.chain, ALICE.puzzleHash)).length).toBe(1);
    expect((await payoutEvents(w.store)).map((e) => e.event.type)).toEqual(['PayoutPlanned', 'PayoutSigned', 'PayoutSent', 'PayoutConfirmed']);
  });

  it('holds payouts while any switch is on, and records each switch once', async () => {
    await earnAndAbsorb(w);
    const byConfig = w.saga({ settings: { paused: true } });
    expect(await byConfig.runOnce()).toMatchObject({ paused: true, planned: [] });
    await byConfig.runOnce();
    expect((await readPayoutsControl(w.store)).history).toEqual([
      { type: 'PayoutsPaused', data: { reason: 'payouts.paused is set in the configuration', by: 'config', at: w.clock.t } },
    ]);

    writeFileSync(w.settings.payouts.pauseFile!, 'maintenance');
    await w.bus.commandBus.execute(new PausePayoutsCommand('wallet migration', 'operator', w.clock.t));
    const saga = w.saga();
    // Config lifted, but the file and the operator still hold payouts.
    expect(await saga.runOnce()).toMatchObject({ paused: true, planned: [] });
    expect((await readPayoutsControl(w.store)).pausedBy).toEqual({
      pause_file: expect.objectContaining({ reason: expect.stringContaining('exists') }),
      operator: expect.objectContaining({ reason: 'wallet migration' }),
    });
    rmSync(w.settings.payouts.pauseFile!);
    expect(await saga.runOnce()).toMatchObject({ paused: true, planned: [] });
    expect((await w.bus.commandBus.execute(new ResumePayoutsCommand('migration done', 'operator', w.clock.t))).changed).toBe(true);
    expect((await w.bus.commandBus.execute(new ResumePayoutsCommand('migration done', 'operator', w.clock.t))).changed).toBe(false);
    expect(await saga.runOnce()).toMatchObject({ paused: false, planned: ['payout-00000001'] });
    await expect(w.bus.commandBus.execute(new PausePayoutsCommand('  ', 'operator', w.clock.t))).rejects.toThrow(/reason/);
  });

  it('an abandoned payout that lands after all is recorded as paid, and nobody is paid twice', async () => {
    await earnAndAbsorb(w);
    // A smaller coin that alone covers the farmers' balances: the cheapest input for a second payout of them.
    w.wallet.fund(REWARD - 1n);
    w.chain.farmBlocks(THRESHOLD + 1);
    // The push reaches the mempool, then the process dies before PayoutSent: the ledger does not know it went out.
    await expect(w.saga({ crashAt: 'after-send' }).runOnce()).rejects.toThrow(Crash);
    const [first] = (await payoutEvents(w.store)).map((e) => e.event);
    if (first!.type !== 'PayoutPlanned') throw new Error('unexpected events');
    // After the restart the node refuses the push once (an answer: it did not take it), with one attempt allowed: the
    // payout is abandoned and its balances return, while its transaction is still in the mempool.
    let refusals = 1;
    const pushTx = async (bundle: SpendBundle) => {
      if (refusals-- > 0) throw new ChiaRpcError({ kind: 'rpc', endpoint: 'push_tx', target: 'node', attempts: 1, detail: 'the node is busy' });
      return w.chain.pushTx(bundle);
    };
    const refusing = new Proxy(w.chain, {
      get: (chain, key) => (key === 'pushTx' ? pushTx : (Reflect.get(chain, key) as unknown as (...args: unknown[]) => unknown).bind?.(chain) ?? Reflect.get(chain, key)),
    });
    const saga = new PayoutSaga({
      store: w.store,
      commandBus: w.bus.commandBus,
      chain: refusing,
      wallet: w.wallet,
      settings: { ...w.settings, payouts: { ...w.settings.payouts, maxAttempts: 1 } },
      planner: new LedgerPayoutPlanner(),
      now: () => w.clock.t,
    });
    const report = await saga.runOnce();
    expect(report.failed[0]).toBe('payout-00000001');
    expect(saga.payouts()[0]!.status).toBe('abandoned');
    // A payout of the returned balances may be planned, but it must spend the abandoned payout's input, so the two
    // cannot both land (the mempool refuses the second).
    const second = (await payoutEvents(w.store)).map((e) => e.event).find((e) => e.type === 'PayoutPlanned' && e.data.sequence === 2);
    if (second !== undefined && second.type === 'PayoutPlanned') {
      expect(second.data.transactions[0]!.inputCoinIds).toEqual(expect.arrayContaining(first.data.transactions[0]!.inputCoinIds));
    }

    // The first payout's transaction lands, and more points arrive.
    w.chain.farmBlock();
    const proofHash = '7'.repeat(64);
    await w.store.append(
      `partial-${proofHash}`,
      [{ id: deterministicEventId('confirm', proofHash), type: 'PartialConfirmed', data: { launcherId: BOB.launcherId, proofHash, points: '1', confirmedAt: w.clock.t } }],
      { expectedRevision: 'no_stream' },
    );
    // Landed but not buried: nothing new is planned while that is unsettled.
    // (Payout 2, if planned, spent the same parent for the same amounts: its expected coins are the same ones.)
    expect(await saga.runOnce()).toMatchObject({ planned: [], waiting: expect.arrayContaining(['payout-00000001']) });
    w.chain.farmBlocks(THRESHOLD);
    w.clock.t += 3600;
    const after = await saga.runOnce();
    expect(after.confirmed).toEqual(['payout-00000001']);
    for (let i = 0; i < 3; i++) {
      w.chain.farmBlocks(THRESHOLD + 1);
      w.clock.t += 3600;
      await saga.runOnce();
    }
    for (const farmer of [ALICE, BOB]) {
      const allocation = first.data.allocations.find((a) => a.launcherId === farmer.launcherId)!;
      expect(await receivedBy(w.chain, farmer.puzzleHash)).toEqual([BigInt(allocation.amount)]);
    }
    const audit = await auditLedger(await w.store.readAll());
    expect(audit.results.every((r) => r.status === 'match')).toBe(true);
    expect(audit.summary).toMatchObject({ balanced: true, carried: 0n, paid: first.data.allocations.reduce((sum, a) => sum + BigInt(a.amount), 0n) });
  });

  it('two planners racing for the same payout: one plan is recorded, and it is paid once', async () => {
    w.wallet.fund(REWARD);
    await earnAndAbsorb(w);
    // Two instances (a lease hand-over gone wrong) whose wallets see the coins in a different order: different plans.
    const a = w.saga();
    const b = w.saga({ settings: { maxAdditionsPerTransaction: 1 } });
    const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
    const plans = (await payoutEvents(w.store)).filter((e) => e.event.type === 'PayoutPlanned');
    expect(plans).toHaveLength(1);
    // Only the instance whose plan was recorded reports it as planned.
    expect([...ra.planned, ...rb.planned]).toEqual(['payout-00000001']);
    for (let i = 0; i < 3; i++) {
      w.chain.farmBlocks(THRESHOLD + 1);
      await Promise.all([a.runOnce(), b.runOnce()]);
    }
    const planned = plans[0]!.event;
    if (planned.type !== 'PayoutPlanned') throw new Error('unreachable');
    for (const farmer of [ALICE, BOB]) {
      expect(await receivedBy(w.chain, farmer.puzzleHash)).toEqual([BigInt(planned.data.allocations.find((x) => x.launcherId === farmer.launcherId)!.amount)]);
    }
    expect((await payoutEvents(w.store)).filter((e) => e.event.type === 'PayoutConfirmed')).toHaveLength(1);
  });

  it('pushes a confirmed payout again when a reorg deeper than the threshold orphans it, and plans nothing until it is back', async () => {
    await earnAndAbsorb(w);
    const saga = w.saga();
    expect((await saga.runOnce()).sent).toEqual(['payout-00000001']);
    w.chain.farmBlocks(THRESHOLD + 1);
    expect((await saga.runOnce()).confirmed).toEqual(['payout-00000001']);
    const paid = await receivedBy(w.chain, ALICE.puzzleHash);
    expect(paid).toHaveLength(1);
    // A reorg deeper than the confirmation depth, on a branch that forgot the transaction; more points and a
    // reward arrive meanwhile.
    w.chain.reorg(THRESHOLD + 2, { newBlocks: THRESHOLD + 3, dropOrphanedTransactions: true });
    expect(await receivedBy(w.chain, ALICE.puzzleHash)).toEqual([]);
    const proofHash = '6'.repeat(64);
    await w.store.append(
      `partial-${proofHash}`,
      [{ id: deterministicEventId('confirm', proofHash), type: 'PartialConfirmed', data: { launcherId: BOB.launcherId, proofHash, points: '1', confirmedAt: w.clock.t } }],
      { expectedRevision: 'no_stream' },
    );
    expect(await saga.runOnce()).toMatchObject({ planned: [], waiting: ['payout-00000001'] });
    expect(w.chain.mempoolNames()).toHaveLength(1);
    w.chain.farmBlock();
    expect(await receivedBy(w.chain, ALICE.puzzleHash)).toEqual(paid);
    expect((await payoutEvents(w.store)).map((e) => e.event.type)).toEqual(['PayoutPlanned', 'PayoutSigned', 'PayoutSent', 'PayoutConfirmed']);
  });
});
