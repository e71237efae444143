import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadPoolConfig } from '@pool/config';
import { DevnetChain, ManualClock } from '@pool/devnet';
import { SqliteEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { ChainEvents } from './chain/chain-events';
import { PoolLoops } from './pool-loops';
import { WorkerModule } from './worker.module';

async function until(condition: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 25) {
    if (waited > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Two workers on one read-models database (two connections, as two processes would). */
describe('pool loops behind the lease, across workers', () => {
  let dir: string;
  let store: SqliteEventStore;
  const opened: { app: INestApplicationContext; db: ReadModelDatabase; closed: boolean }[] = [];
  const chain = new DevnetChain({ clock: new ManualClock(), networkBlockEverySignagePoints: 0 });
  const previousTtl = process.env.POOL_LOOPS_LEASE_TTL_MS;

  beforeAll(async () => {
    process.env.POOL_LOOPS_LEASE_TTL_MS = '4000';
    dir = mkdtempSync(join(tmpdir(), 'pool-lease-'));
    store = new SqliteEventStore({ path: join(dir, 'events.db') });
    chain.farmBlocks(3);
    for (let i = 0; i < 2; i++) {
      const db = await ReadModelDatabase.open(`sqlite:${join(dir, 'read-models.db')}`);
      const app = await NestFactory.createApplicationContext(WorkerModule.with({ config: loadPoolConfig({}), store, readModels: db, chain }), { logger: false });
      await app.init();
      opened.push({ app, db, closed: false });
    }
  });
  afterAll(async () => {
    for (const o of opened) if (!o.closed) await o.app.close();
    for (const o of opened) await o.db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    if (previousTtl === undefined) delete process.env.POOL_LOOPS_LEASE_TTL_MS;
    else process.env.POOL_LOOPS_LEASE_TTL_MS = previousTtl;
  });

  const holders = (): number[] => opened.flatMap((o, i) => (!o.closed && o.app.get(PoolLoops).lease.isHolder ? [i] : []));
  const followed = (i: number): boolean => opened[i]!.app.get(ChainEvents).peakHeight >= 0;

  it('runs the loops in exactly one worker, and in the other once the holder shuts down', async () => {
    await until(() => holders().length > 0, 'a holder');
    // Several renewal periods: the other instance keeps retrying and never gets in.
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 300));
      expect(holders()).toHaveLength(1);
    }
    const [holder] = holders();
    const other = 1 - holder!;
    await until(() => followed(holder!), 'the holder to follow the chain');
    expect(followed(other)).toBe(false); // without the lease no loop has run at all

    await opened[holder!]!.app.close();
    opened[holder!]!.closed = true;
    await until(() => holders().includes(other), 'the other instance to take the lease');
    await until(() => followed(other), 'the other instance to follow the chain');
  });
});
