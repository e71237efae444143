import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import { openEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { payoutsStatusLines } from './payout-status';
import { LedgerCommandsModule, PausePayoutsCommand, ResumePayoutsCommand } from '@pool/commands';
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
