import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import { openEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { payoutsStatusLines, readPayoutSagaView } from './payout-status';
import { LedgerCommandsModule, PausePayoutsCommand, readPayoutsControl, ResolvePayoutCommand, ResumePayoutsCommand } from '@pool/commands';
import { type ObservedCoin, type SagaPayout } from '@pool/domain';
import { openChiaNode } from '@pool/runtime';
import { coinId } from '@pool/chia';
import { payoutPolicy } from '@pool/worker';
import { coinsToLookUp, formatPayoutShow, showPayout, type PayoutChainLook } from './payout-show';
import { configFrom, withLedger } from './connections';
import { redactUrl } from '../devnet/devnet-data-dir';

async function withStore<T>(command: Command, work: (store: EventStore) => Promise<T>): Promise<T> {
  const store = await openEventStore(configFrom(command).eventStoreUrl);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * `poolctl payouts pause|resume --reason … | status`. A pause is a fact in the ledger (PayoutsPaused by
 * 'operator'); the running saga reads it before each run, so no restart is needed. An operator pause is lifted
 * only by an operator resume: the config switch and the pause file are separate switches.
 */
export function registerPayoutCommands(program: Command): void {
  const payouts = program.command('payouts').description('the payout saga: pause, resume, status');

  for (const [name, paused] of [['pause', true], ['resume', false]] as const) {
    payouts
      .command(name)
      .description(paused ? 'stop planning and sending payouts (recorded with the reason)' : 'lift an operator pause (recorded with the reason)')
      .requiredOption('--reason <text>', 'why (recorded in the ledger)')
      .action(async (options: { reason: string }, command: Command) => {
        await withStore(command, async (store) => {
          // The same PausePayouts / ResumePayouts the operator endpoints dispatch, on a bus of this command's own.
          const app = await NestFactory.createApplicationContext(LedgerCommandsModule.forStore(store), { logger: false });
          const now = Math.floor(Date.now() / 1000);
          const { changed, state } = await app
            .get(CommandBus)
            .execute(paused ? new PausePayoutsCommand(options.reason, 'operator', now) : new ResumePayoutsCommand(options.reason, 'operator', now))
            .finally(() => app.close());
          console.log(changed ? `payouts ${paused ? 'paused' : 'resumed'} by operator: ${options.reason.trim()}` : `payouts were already ${paused ? 'paused' : 'not paused'} by an operator`);
          const others = Object.keys(state.pausedBy).filter((by) => by !== 'operator');
          if (!paused && others.length > 0) console.log(`still paused by: ${others.join(', ')}`);
        });
      });
  }

  payouts
    .command('show <payoutId>')
    .description('where one payout stands: what landed, what is owed to whom, what the saga will do next')
    .option('--json', 'print it as JSON')
    .action(async (payoutId: string, options: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      await withLedger(config.eventStoreUrl, async (store) => {
        const payout = await findPayout(store, payoutId);
        const look = config.chia.fullNode === undefined ? undefined : await lookOnChain(config, payout, (await readPayoutsControl(store)).paused);
        const show = showPayout(payout, payoutPolicy(config.settings), look);
        if (options.json) console.log(JSON.stringify(show, null, 2));
        else for (const line of formatPayoutShow(show)) console.log(line);
      });
    });

  payouts
    .command('resolve <payoutId>')
    .description("record an operator's decision on a payout the saga cannot settle: abandon it, or declare it paid in part")
    .requiredOption('--reason <text>', 'why (recorded in the ledger)')
    .requiredOption('--decision <decision>', 'abandon | paid-in-part')
    .option('--landed <indices>', 'paid-in-part: the transactions (indices, as `payouts show` numbers them) that landed, e.g. 0,2')
    .action(async (payoutId: string, options: { reason: string; decision: string; landed?: string }, command: Command) => {
      if (options.decision !== 'abandon' && options.decision !== 'paid-in-part') throw new Error(`--decision must be abandon or paid-in-part, not ${options.decision}`);
      const landed = parseIndices(options.landed);
      await withStore(command, async (store) => {
        const payout = await findPayout(store, payoutId);
        const app = await NestFactory.createApplicationContext(LedgerCommandsModule.forStore(store), { logger: false });
        const now = Math.floor(Date.now() / 1000);
        const events = await app
          .get(CommandBus)
          .execute(new ResolvePayoutCommand(payout.planned.payoutId, payout.planned.sequence, options.decision as 'abandon' | 'paid-in-part', landed, options.reason, now))
          .finally(() => app.close());
        console.log(events.length === 0 ? `payout ${payoutId}: this decision was already recorded` : `payout ${payoutId} resolved (${options.decision}): ${options.reason.trim()}`);
      });
    });

  payouts
    .command('status')
    .description('pause switches and every payout: planned, sent, confirmed or abandoned')
    .action(async (_options: unknown, command: Command) => {
      const url = configFrom(command).eventStoreUrl;
      await withLedger(url, async (store) => {
        if ((await store.headPosition()) === undefined) console.log(`the ledger ${redactUrl(url)} is empty (no events yet)`);
        for (const line of await payoutsStatusLines(store)) console.log(line);
      });
    });
}

/** `--landed 0,2` -> [0, 2]; absent -> []. */
export function parseIndices(typed: string | undefined): number[] {
  if (typed === undefined || typed.trim() === '') return [];
  return typed.split(',').map((part) => {
    const text = part.trim();
    if (!/^\d+$/.test(text)) throw new Error(`--landed takes transaction indices separated by commas, not ${typed}`);
    return Number(text);
  });
}

async function findPayout(store: EventStore, payoutId: string): Promise<SagaPayout> {
  const view = await readPayoutSagaView(store);
  const payout = [...view.payouts.values()].find((p) => p.planned.payoutId === payoutId || p.stream === payoutId);
  if (payout === undefined) throw new Error(`no payout ${payoutId} in the ledger (poolctl payouts status lists them)`);
  return payout;
}

/** The payout's recorded coins and planned inputs as the configured node knows them. */
async function lookOnChain(config: ReturnType<typeof configFrom>, payout: SagaPayout, paused: boolean): Promise<PayoutChainLook> {
  const node = openChiaNode(config, { withWallet: false });
  try {
    const records = await node.chain.getCoinRecordsByNames(coinsToLookUp(payout), { includeSpentCoins: true });
    const coins = new Map<string, ObservedCoin>();
    for (const r of records) coins.set(coinId(r.coin), { confirmedHeight: r.confirmedBlockIndex, spent: r.spent });
    const peak = (await node.chain.getBlockchainState()).peak?.height ?? 0;
    return { coins, peak, paused, now: Math.floor(Date.now() / 1000) };
  } finally {
    node.close();
  }
}
