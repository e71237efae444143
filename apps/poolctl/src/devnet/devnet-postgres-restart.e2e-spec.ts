import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEVNET_SPACE_CONSTANTS } from '@pool/domain';
import { openEventStore } from '@pool/event-store';
import { type EventStore, type RecordedEvent } from '@pool/event-sourcing';
import { allProjections, createProjections } from '@pool/projections';
import { projectionStatus, Projector, ReadModelDatabase } from '@pool/read-models';
import { describeWithPostgres, dropSchema, testSchema, projectionTableHashes } from '@pool/testing';
import { DEVNET_DEFAULTS } from '../commands/devnet.command';
import { buildProgram } from '../program';
import { runDevnet, type DevnetRunOptions } from './devnet-run';

async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ ...(events.length > 0 ? { after: events[events.length - 1]!.position } : {}), maxCount: 5000 });
    events.push(...page);
    if (page.length < 5000) return events;
  }
}

/**
 * A devnet run keeping its ledger and read models in PostgreSQL. Restarting on that ledger used to start a new chain
 * from genesis under the old ledger, so the pool reverted its rewards and recorded a deficit that no chain ever
 * caused; it is now refused before the pool starts. And `projections rebuild` used to estimate space with mainnet's
 * constants for any read models outside a devnet data directory, so the rebuild differed from what the run built
 * live; it now takes the network from the ledger's own chain facts.
 */
describeWithPostgres('poolctl devnet run on PostgreSQL: a restart on the same ledger', (pgUrl) => {
  const join2 = (schema: string): string => `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`;
  const eventsSchema = testSchema('devnet_es');
  const viewsSchema = testSchema('devnet_rm');
  const eventStoreUrl = join2(eventsSchema);
  const readModelsUrl = join2(viewsSchema);
  const saved = { events: process.env.POOL_EVENT_STORE_URL, views: process.env.POOL_READ_MODELS_URL };
  const lines: string[] = [];
  let dir: string;
  const options = (log: (line: string) => void): DevnetRunOptions => ({ ...DEVNET_DEFAULTS, farmers: 1, dataDir: dir, port: 0, host: '127.0.0.1', log });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'devnet-pg-restart-'));
    process.env.POOL_EVENT_STORE_URL = eventStoreUrl;
    process.env.POOL_READ_MODELS_URL = readModelsUrl;
    // The first run: until its farmers' partials are in the ledger (submitted points are what space is estimated from).
    const stop = new AbortController();
    let accepted = 0;
    const guard = setTimeout(() => stop.abort(), 60_000);
    const log = (line: string): void => {
      lines.push(line);
      if (line.startsWith('first partial accepted')) accepted = Date.now();
    };
    const run = runDevnet(options(log), stop.signal);
    // A moment of partials after the first, then stop as a person would (Ctrl-C).
    const watch = (async (): Promise<void> => {
      while (!stop.signal.aborted && (accepted === 0 || Date.now() - accepted < 1500)) await sleep(200);
      stop.abort();
    })();
    await run.finally(() => clearTimeout(guard));
    await watch;
  }, 90_000);
  afterAll(async () => {
    for (const [key, value] of [
      ['POOL_EVENT_STORE_URL', saved.events],
      ['POOL_READ_MODELS_URL', saved.views],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    if (lines.length > 0) console.log(lines.join('\n'));
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(pgUrl, eventsSchema);
    await dropSchema(pgUrl, viewsSchema);
  });

  it('refuses to start the devnet again on that ledger, and records nothing in it', async () => {
    const store = await openEventStore(eventStoreUrl);
    try {
      const before = await allEvents(store);
      expect(before.filter((e) => e.type === 'PartialSubmitted').length).toBeGreaterThan(0);
      const restart = runDevnet({ ...options((line) => lines.push(`restart: ${line}`)), durationSeconds: 5 }, new AbortController().signal);
      await expect(restart).rejects.toThrow(/the event store postgres:\/\/.* already holds a ledger .*chain that is gone: the pool would record reverts that never happened\. Run the devnet on a fresh store/);
      const after = await allEvents(store);
      expect(after.filter((e) => e.type === 'RewardReverted' || e.type === 'PartialReverted')).toEqual([]);
      expect(after.map((e) => e.id)).toEqual(before.map((e) => e.id));
    } finally {
      await store.close();
    }
  }, 60_000);

  it('rebuilds the read models with the devnet constants the run used live: every table hashes the same', async () => {
    const store = await openEventStore(eventStoreUrl);
    const db = await ReadModelDatabase.open(readModelsUrl);
    try {
      // What the run built live, brought up to the head by the same projections it used (the run may have stopped
      // a batch short of it).
      const live = createProjections({ space: DEVNET_SPACE_CONSTANTS });
      const controller = new AbortController();
      const running = new Projector(store, db, live).run(controller.signal);
      try {
        for (let i = 0; i < 400; i++) {
          const statuses = await projectionStatus(store, db, live);
          if (statuses.every((s) => s.generation !== null && s.lag === 0)) break;
          await sleep(25);
        }
      } finally {
        controller.abort();
        await running;
      }
      const before = await projectionTableHashes(db, allProjections);
      const space = await db.executor().query<{ n: number | string }>('SELECT count(*) AS n FROM farmer_view WHERE estimated_space > 0');
      expect(Number(space[0]!.n)).toBeGreaterThan(0);

      const output: string[] = [];
      const log = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void output.push(String(line)));
      try {
        await buildProgram().parseAsync(['node', 'poolctl', '--event-store', eventStoreUrl, '--read-models', readModelsUrl, 'projections', 'rebuild']);
      } finally {
        log.mockRestore();
      }
      // Told by a devnet reward coin when the run won one, else by its k18 plots.
      expect(output[0]).toMatch(/^rebuilt .*\(space estimated with devnet constants: (reward coin \w+ was minted on the devnet chain|a partial from a k18 plot)/);
      expect(await projectionTableHashes(db, allProjections)).toEqual(before);
    } finally {
      await db.close();
      await store.close();
    }
  }, 60_000);
});
