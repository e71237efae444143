/**
 * The payout saga alone in a process, for the crash tests: the test kills it with SIGKILL at a chosen step
 * (POOL_CRASH_AT) and starts it again. It reaches the test's devnet node and wallet over their mutual-TLS RPC and
 * the ledger in a SQLite file, exactly as the api's pool loop does.
 *
 * Environment: POOL_CHILD_CONFIG (JSON: eventStorePath, chiaRoot, nodePort, walletPort, settings overrides),
 * POOL_CRASH_AT (after-plan | after-send | after-sent, optional), POOL_CHILD_UNTIL ('run-once' or 'confirmed').
 * Prints one JSON line per run on stdout.
 */
import { FullNodeRpcClient, WalletRpcClient } from '@pool/chia';
import { DEFAULT_POOL_SETTINGS, type PoolSettings } from '@pool/config';
import { SqliteEventStore } from '@pool/event-store';
import { openLedgerCommandBus } from '../../support/ledger-command-bus';
import { PayoutSaga, type PayoutCrashPoint } from '@pool/worker';
import { LedgerPayoutPlanner } from '@pool/worker';

interface ChildConfig {
  eventStorePath: string;
  chiaRoot: string;
  nodePort: number;
  walletPort: number;
  targetPuzzleHash: string;
  confirmationSecurityThreshold: number;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.POOL_CHILD_CONFIG ?? '{}') as ChildConfig;
  const crashAt = process.env.POOL_CRASH_AT as PayoutCrashPoint | undefined;
  const until = process.env.POOL_CHILD_UNTIL ?? 'run-once';
  const store = new SqliteEventStore({ path: config.eventStorePath });
  const chain = FullNodeRpcClient.fromChiaRoot({ host: '127.0.0.1', port: config.nodePort, tls: { chiaRoot: config.chiaRoot } });
  const wallet = WalletRpcClient.fromChiaRoot({ host: '127.0.0.1', port: config.walletPort, tls: { chiaRoot: config.chiaRoot } });
  const settings: PoolSettings = {
    ...DEFAULT_POOL_SETTINGS,
    targetPuzzleHash: config.targetPuzzleHash,
    confirmationSecurityThreshold: config.confirmationSecurityThreshold,
  };
  const bus = await openLedgerCommandBus(store);
  const saga = new PayoutSaga({
    store,
    commandBus: bus.commandBus,
    chain,
    wallet,
    settings,
    planner: new LedgerPayoutPlanner(),
    now: () => Date.now() / 1000,
    crashPoint: (point) => {
      // SIGKILL: no exit handlers, no flushing, as a power cut or the OOM killer would do it.
      if (point === crashAt) process.kill(process.pid, 'SIGKILL');
    },
  });
  try {
    for (;;) {
      const report = await saga.runOnce();
      process.stdout.write(`${JSON.stringify(report)}\n`);
      if (until === 'run-once') break;
      const payouts = saga.payouts();
      if (payouts.length > 0 && !payouts.some((p) => p.status === 'planned' || p.status === 'sent')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await bus.close();
    chain.close();
    wallet.close();
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
