import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOOKS_CLOSING_EVENT_TYPES, BOOKS_CLOSINGS_STREAM } from '@pool/domain';
import { openEventStore } from '@pool/event-store';
import { StreamCommandRunner, type EventStore } from '@pool/event-sourcing';
import { allProjections } from '@pool/projections';
import { imageTable, listImages, Projector, ReadModelDatabase } from '@pool/read-models';
import { BooksCloser } from '@pool/worker';
import { appendLedger, describeWithPostgres, dropSchema, generateLedger, runPoolctl, testSchema, type GeneratedEvent, projectionTableHashes } from '@pool/testing';

/**
 * A rebuild from the latest books closing equals a rebuild from zero (issue 18): a live projector with closing images
 * follows a ledger while it is written and the closer closes the books after each settlement; then `poolctl projections
 * rebuild --from-closing` and `poolctl projections rebuild` must give every table the hash the live tables had.
 */
/** Writes the ledger in slices, the closer and the live projector (images on) catching up after each. */
async function writeFollowAndClose(store: EventStore, db: ReadModelDatabase): Promise<void> {
  const generated = [...generateLedger({ farmers: 8, events: 2500, seed: 18, secondsPerPartial: 120, rewardEvery: 40, payoutEvery: 150, churn: 10 })];
  const closer = new BooksCloser({ store, runner: new StreamCommandRunner(store), now: () => 1_700_000_000, pageSize: 200 });
  const live = new Projector(store, db, allProjections, { batchSize: 50, images: { after: BOOKS_CLOSING_EVENT_TYPES } });
  const catchUp = async (): Promise<void> => {
    const controller = new AbortController();
    await live.run(controller.signal, () => controller.abort());
  };
  for (let offset = 0; offset < generated.length; ) {
    const slice: GeneratedEvent[] = generated.slice(offset, offset + 97);
    offset += slice.length;
    await appendLedger(store, slice);
    // In turns, as in production the two race: sometimes the projector images a settlement before its closing exists.
    if (offset % 2 === 0) await closer.catchUp();
    await catchUp();
    await closer.catchUp();
  }
  await catchUp();
}

function fromClosingSpecs(openDb: () => Promise<{ db: ReadModelDatabase; url: string }>): void {
  let dir: string;
  let storeUrl: string;
  let store: EventStore;
  let db: ReadModelDatabase;
  let readModelsUrl: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-from-closing-'));
    storeUrl = `sqlite:${join(dir, 'events.db')}`;
    store = await openEventStore(storeUrl);
    ({ db, url: readModelsUrl } = await openDb());
    await writeFollowAndClose(store, db);
  }, 300_000);
  afterAll(async () => {
    await db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const poolctl = (...args: string[]): ReturnType<typeof runPoolctl> => runPoolctl(['--event-store', storeUrl, '--read-models', readModelsUrl, ...args]);

  it('rebuilds from the latest closing, replaying only the events after it, to the tables a rebuild from zero gives', async () => {
    const closings = await store.readStream(BOOKS_CLOSINGS_STREAM);
    expect(closings.length).toBeGreaterThan(4);
    const images = await listImages(db.executor());
    expect(images).toHaveLength(2);
    const live = await projectionTableHashes(db, allProjections);
    expect(Object.keys(live).length).toBeGreaterThanOrEqual(15);

    const fromClosing = await poolctl('projections', 'rebuild', '--from-closing');
    const [line] = fromClosing.lines;
    const closing = closings.map((c) => c.data as { sequence: number; closedPosition: string }).find((c) => c.closedPosition === images[0]!.position)!;
    expect(line).toMatch(new RegExp(`^rebuilt .* from books closing ${closing.sequence} \\(image ${images[0]!.image}, position ${images[0]!.position}, money checked against the closing\\): replayed \\d+ events after it`));
    const replayed = Number(/replayed (\d+) events/.exec(line!)![1]);
    expect(await projectionTableHashes(db, allProjections)).toEqual(live);

    const zero = await poolctl('projections', 'rebuild');
    expect(zero.exitCode).toBe(0);
    expect(await projectionTableHashes(db, allProjections)).toEqual(live);
    const total = (await store.readAll({ filter: { types: [...new Set(allProjections.flatMap((p) => p.handles))] }, maxCount: 1_000_000 })).length;
    expect(replayed).toBeGreaterThan(0);
    expect(replayed).toBeLessThan(total / 3);
  }, 300_000);

  it('refuses an image whose money differs from its closing, naming the first difference', async () => {
    const [image] = await listImages(db.executor());
    const table = imageTable('farmer_balances', image!.image);
    const [row] = await db.executor().query<{ launcher_id: string; carried_mojos: string | number }>(`SELECT launcher_id, carried_mojos FROM ${table} ORDER BY launcher_id LIMIT 1`);
    await db.executor().query(`UPDATE ${table} SET carried_mojos = carried_mojos + 1 WHERE launcher_id = ?`, [row!.launcher_id]);
    await expect(poolctl('projections', 'rebuild', '--from-closing')).rejects.toThrow(
      `farmer_balances ${row!.launcher_id} carried_mojos: ${BigInt(row!.carried_mojos) + 1n} in the image, ${BigInt(row!.carried_mojos)} in books closing`,
    );
  }, 120_000);
}

describe('projections rebuilt from the latest books closing, SQLite read models', () => {
  let dbDir: string;
  beforeAll(() => {
    dbDir = mkdtempSync(join(tmpdir(), 'pool-from-closing-rm-'));
  });
  afterAll(() => rmSync(dbDir, { recursive: true, force: true }));
  fromClosingSpecs(async () => {
    const url = `sqlite:${join(dbDir, 'read-models.db')}`;
    return { db: await ReadModelDatabase.open(url), url };
  });
});

describeWithPostgres('projections rebuilt from the latest books closing, PostgreSQL read models', (pgUrl) => {
  const schema = testSchema('closingimg');
  afterAll(async () => dropSchema(pgUrl, schema));
  fromClosingSpecs(async () => {
    const url = `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`;
    return { db: await ReadModelDatabase.open(url), url };
  });
});
