import { CommandBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { LedgerCommandsModule } from '@pool/commands';
import { type EventStore } from '@pool/event-sourcing';

export interface LedgerCommandBus {
  commandBus: CommandBus;
  /** Closes the application context behind the bus (call it when the test is done). */
  close(): Promise<void>;
}

/**
 * A real CommandBus over `store` with every ledger command handler, as poolctl builds one: for tests that build the
 * worker's classes by hand. Each call is a separate context (its own command runner), like a separate instance.
 */
export async function openLedgerCommandBus(store: EventStore): Promise<LedgerCommandBus> {
  const app = await NestFactory.createApplicationContext(LedgerCommandsModule.forStore(store), { logger: false });
  return { commandBus: app.get(CommandBus), close: () => app.close() };
}

/**
 * For a spec: `const commandBusFor = ledgerCommandBusesClosedAfterEach();` then `await commandBusFor(store)` in a
 * test gives a real bus of its own (a separate instance), closed after that test.
 */
export function ledgerCommandBusesClosedAfterEach(): (store: EventStore) => Promise<CommandBus> {
  const open: LedgerCommandBus[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((bus) => bus.close()));
  });
  return async (store) => {
    const bus = await openLedgerCommandBus(store);
    open.push(bus);
    return bus.commandBus;
  };
}
