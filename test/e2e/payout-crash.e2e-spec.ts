import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coinId } from '@pool/chia';
import {
  DevnetChain,
  DevnetWallet,
  ensureDevnetChiaRoot,
  startFullNodeRpcServer,
  startWalletRpcServer,
  type RunningRpcServer,
} from '@pool/devnet';
import { type PayoutEvent, type PayoutPlanned } from '@pool/domain';
import { SqliteEventStore } from '@pool/event-store';
import { deterministicEventId } from '@pool/event-sourcing';
import { auditLedger } from '@pool/domain';
import { type PayoutCrashPoint } from '@pool/worker';
import { registeredFarmerData } from '../support';

const XCH = 1_000_000_000_000n;
const THRESHOLD = 3;
const CHILD = join(__dirname, 'support-payouts', 'payout-saga.child.ts');
const REGISTER = join(__dirname, 'support-payouts', 'register-typescript.js');
const FARMERS = [
  { launcherId: '1a'.repeat(32), puzzleHash: '1b'.repeat(32), points: '5' },
  { launcherId: '2a'.repeat(32), puzzleHash: '2b'.repeat(32), points: '3' },
  { launcherId: '3a'.repeat(32), puzzleHash: '3b'.repeat(32), points: '1' },
];

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The payout saga in a child process (plain node loading the TypeScript sources), SIGKILLed at each step of a
 * payout and started again, against a devnet node and wallet served over mutual-TLS RPC from this process and a
 * SQLite ledger both processes open. After the restart every farmer holds exactly one coin of exactly the
 * planned amount, and the payout's stream reads planned, sent, confirmed.
 */
describe.each(['chia', 'shuffled'] as const)('payout saga crash safety (SIGKILL at each step), wallet behaviour %s', (behaviour) => {
  let dir: string;
  let chain: DevnetChain;
  let wallet: DevnetWallet;
  let store: SqliteEventStore;
  let node: RunningRpcServer;
  let walletServer: RunningRpcServer;
  let chiaRoot: string;
  let farming: NodeJS.Timeout | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'payout-crash-'));
    chiaRoot = join(dir, 'chia');
    ensureDevnetChiaRoot(chiaRoot);
    chain = new DevnetChain({ seed: `payout-crash-${Math.random()}`, networkBlockEverySignagePoints: 0 });
    wallet = new DevnetWallet(chain, { tag: 'payout-crash-wallet', behaviour });
    node = await startFullNodeRpcServer(chain, { chiaRoot });
    walletServer = await startWalletRpcServer(wallet, { chiaRoot });
    store = new SqliteEventStore({ path: join(dir, 'events.db') });
    await seedLedger();
  });

  afterEach(async () => {
    if (farming) clearInterval(farming);
    await store.close();
    await walletServer.close();
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Three registered farmers with confirmed points, and two absorbed rewards sitting in buried wallet coins. */
  async function seedLedger(): Promise<void> {
    for (const [i, farmer] of FARMERS.entries()) {
      await store.append(
        `farmer-${farmer.launcherId}`,
        [{ id: deterministicEventId('crash-e2e', farmer.launcherId), type: 'FarmerRegistered', data: registeredFarmerData(farmer) }],
        { expectedRevision: 'no_stream' },
      );
      const proofHash = String(i + 1).repeat(64);
      await store.append(
        `partial-${proofHash}`,
        [{ id: deterministicEventId('crash-e2e', proofHash), type: 'PartialConfirmed', data: { launcherId: farmer.launcherId, proofHash, points: farmer.points, confirmedAt: 1 } }],
        { expectedRevision: 'no_stream' },
      );
    }
    for (const [i, amount] of [(7n * XCH) / 4n, (7n * XCH) / 8n].entries()) {
      const poolCoin = wallet.fund(amount);
      const rewardCoinId = String(i + 7).repeat(64);
      await store.append(
        `reward-${rewardCoinId}`,
        [
          {
            // The collector always records the detection first; the audit checks the absorbed amount against it.
            id: deterministicEventId('crash-e2e-detected', rewardCoinId),
            type: 'RewardDetected',
            data: {
              coinId: rewardCoinId,
              launcherId: FARMERS[i]!.launcherId,
              puzzleHash: 'cd'.repeat(32),
              amount: amount.toString(),
              farmedHeight: chain.peakHeight(),
              confirmedHeight: chain.peakHeight(),
              detectedAt: 1,
            },
          },
          {
            id: deterministicEventId('crash-e2e', rewardCoinId),
            type: 'RewardAbsorbed',
            data: {
              coinId: rewardCoinId,
              launcherId: FARMERS[i]!.launcherId,
              amount: amount.toString(),
              absorbTransactionId: 'ab'.repeat(32),
              absorbedHeight: chain.peakHeight() + 1,
              poolCoinId: coinId(poolCoin),
              fee: '0',
              absorbedAt: 1,
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
    }
    chain.farmBlocks(THRESHOLD + 1);
  }

  function runChild(env: { crashAt?: PayoutCrashPoint; until: 'run-once' | 'confirmed' }): Promise<ChildResult> {
    const config = {
      eventStorePath: join(dir, 'events.db'),
      chiaRoot,
      nodePort: node.port,
      walletPort: walletServer.port,
      targetPuzzleHash: wallet.puzzleHash,
      confirmationSecurityThreshold: THRESHOLD,
    };
    const child = spawn(process.execPath, ['-r', REGISTER, CHILD], {
      env: { ...process.env, POOL_CHILD_CONFIG: JSON.stringify(config), POOL_CRASH_AT: env.crashAt ?? '', POOL_CHILD_UNTIL: env.until },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = setTimeout(() => child.kill('SIGKILL'), 90_000);
    return new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        clearTimeout(deadline);
        resolve({ code, signal, stdout, stderr });
      }),
    );
  }

  async function payoutEvents(): Promise<PayoutEvent[]> {
    return (await store.readAll({ filter: { streamPrefixes: ['payout-'] } })).map((e) => ({ type: e.type, data: e.data }) as PayoutEvent);
  }

  it.each(['after-plan', 'after-sign', 'after-signed', 'after-send', 'after-sent'] as const)('a kill %s loses nothing and pays nothing twice', async (crashAt) => {
    const crashed = await runChild({ crashAt, until: 'run-once' });
    expect({ signal: crashed.signal, stderr: crashed.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
    expect(crashed.stdout).toBe(''); // killed inside its first run
    const before = (await payoutEvents()).map((e) => e.type);
    // Killed between the wallet's signature and PayoutSigned ('after-sign'), nothing of the signing is left: nothing
    // was pushed either, and the restart signs again.
    const recorded = { 'after-plan': 1, 'after-sign': 1, 'after-signed': 2, 'after-send': 2, 'after-sent': 3 }[crashAt];
    expect(before).toEqual(['PayoutPlanned', 'PayoutSigned', 'PayoutSent'].slice(0, recorded));
    const pushedBeforeCrash = chain.mempoolNames();
    expect(pushedBeforeCrash).toHaveLength(crashAt === 'after-send' || crashAt === 'after-sent' ? 1 : 0);
    // Whatever was pushed lands while the saga is down.
    chain.farmBlock();

    // The restarted saga runs until the payout is confirmed; blocks keep coming meanwhile.
    farming = setInterval(() => chain.farmBlock(), 150);
    const restarted = await runChild({ until: 'confirmed' });
    clearInterval(farming);
    farming = undefined;
    expect({ code: restarted.code, stderr: restarted.stderr }).toEqual({ code: 0, stderr: '' });

    const events = await payoutEvents();
    expect(events.map((e) => e.type)).toEqual(['PayoutPlanned', 'PayoutSigned', 'PayoutSent', 'PayoutConfirmed']);
    const plan = (events[0] as PayoutPlanned).data;
    if (pushedBeforeCrash.length > 0) {
      expect(events[2]!.data).toMatchObject({ transactionIds: pushedBeforeCrash });
    }
    expect(plan.allocations).toHaveLength(FARMERS.length);
    for (const farmer of FARMERS) {
      const allocation = plan.allocations.find((a) => a.launcherId === farmer.launcherId)!;
      const received = await chain.getCoinRecordsByPuzzleHash(farmer.puzzleHash, { includeSpentCoins: true });
      expect(received.map((r) => r.coin.amount)).toEqual([BigInt(allocation.amount)]);
    }
    // Every mojo of the two rewards is accounted for: farmers + pool fee + blockchain fee + carried.
    const rewards = (7n * XCH) / 4n + (7n * XCH) / 8n;
    const accounted =
      plan.allocations.reduce((s, a) => s + BigInt(a.amount), 0n) +
      BigInt(plan.poolFee.amount) +
      BigInt(plan.blockchainFee) +
      plan.carried.reduce((s, c) => s + BigInt(c.amount), 0n);
    expect(accounted).toBe(rewards);
    // The wallet keeps exactly the rest (the pool fee goes back to the pool's own puzzle hash, change to any address
    // of the wallet's).
    const walletLeft = wallet.unspentCoins().reduce((s, r) => s + r.coin.amount, 0n);
    expect(walletLeft).toBe(rewards - plan.allocations.reduce((s, a) => s + BigInt(a.amount), 0n) - BigInt(plan.blockchainFee));
    // The auditor replays the whole ledger and recomputes the plan to the mojo.
    const audit = await auditLedger(await store.readAll());
    expect({ ok: audit.ok, problems: audit.problems, results: audit.results.map((r) => r.status), balanced: audit.summary.balanced }).toEqual({
      ok: true,
      problems: [],
      results: ['match'],
      balanced: true,
    });
    expect(audit.summary.paid).toBe(plan.allocations.reduce((s, a) => s + BigInt(a.amount), 0n));
  });
});
