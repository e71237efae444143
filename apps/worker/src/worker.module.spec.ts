import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { RecordReorgCommand } from '@pool/commands';
import { loadPoolConfig } from '@pool/config';
import { DevnetChain, ManualClock } from '@pool/devnet';
import { CHAIN_REORGS_STREAM } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { type ReadModelDatabase } from '@pool/read-models';
import { WorkerModule } from './worker.module';

describe('WorkerModule', () => {
  it("dispatches the loops' commands to the ledger handlers, over the worker's own store", async () => {
    const store = new InMemoryEventStore();
    const chain = new DevnetChain({ clock: new ManualClock(), networkBlockEverySignagePoints: 0 });
    // Out of the lease contest: nothing touches the read-model database.
    const app = await NestFactory.createApplicationContext(
      WorkerModule.with({ config: loadPoolConfig({}), store, readModels: {} as ReadModelDatabase, chain, poolLoops: false }),
      { logger: false },
    );
    await app.init();
    const point = { height: 10, headerHash: 'aa' };
    const events = await app.get(CommandBus).execute(new RecordReorgCommand({ forkHeight: 9, firstOrphanedHash: 'bb', depth: 1, oldPeak: point, newPeak: point, safeDepth: 6, now: 1 }));
    expect(events.map((e) => e.type)).toEqual(['ChainReorgDetected']);
    expect(await store.readStream(CHAIN_REORGS_STREAM)).toHaveLength(1);
    await app.close();
  });
});
