import { InMemoryEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { Projector } from '@pool/read-models';
import type { ReadModelDatabase } from '@pool/read-models';
import { appendLedger, describeWithPostgres, dropSchema, generateLedger, openReadModels, testSchema } from '@pool/testing';
import {
  blocksPage,
  createProjections,
  cursorKeyOf,
  farmerBalance,
  farmerFigures,
  farmerHours,
  farmerPartialDays,
  farmerPartialResults,
  farmerPartialTotals,
  farmerPayoutLines,
  farmerPlannedLines,
  farmerRanking,
  farmerRecord,
  ledgerTime,
  partialsPage,
  partialsSinceHour,
  payoutDetail,
  payoutFigures,
  payoutsPage,
  poolHours,
  pointsSince,
  pointsSubmittedSinceHour,
  RANKED_FIGURES,
  rewardFigures,
  type CursorKey,
  type CursorPage,
} from '.';

/**
 * The read models' queries (each read model's *.queries.ts) over the projections of a generated ledger (reorgs,
 * leaving farmers, failed payouts) spanning several days with a one-day retention: every list paged to the end
 * gives each row once, in order; and SQLite and PostgreSQL give the same answer to every query.
 */
type Item = Record<string, unknown>;

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));

async function allPages(shape: readonly ('n' | 's')[], fetch: (after: CursorKey | undefined) => Promise<CursorPage<object>>): Promise<Item[]> {
  const items: Item[] = [];
  let after: CursorKey | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await fetch(after);
    items.push(...(page.items as Item[]));
    if (page.nextCursor === null) return items;
    after = cursorKeyOf(page.nextCursor, shape) ?? undefined;
    expect(after).toBeDefined();
  }
  throw new Error('paging did not end');
}

async function project(store: EventStore, db: ReadModelDatabase): Promise<void> {
  const controller = new AbortController();
  await new Projector(store, db, createProjections({ retentionSeconds: 86_400 })).run(controller.signal, () => controller.abort());
}

/** Every answer the read models' queries can give over this ledger, paged in small pages. */
async function everything(db: ReadModelDatabase): Promise<Record<string, unknown>> {
  const time = await ledgerTime(db);
  const blocks = await allPages(['n', 's'], (after) => blocksPage(db, { limit: 7, after }));
  const payouts = await allPages(['n'], (after) => payoutsPage(db, { limit: 3, after }));
  const details = await Promise.all(payouts.map((p) => payoutDetail(db, String(p.payoutId))));
  const boards: Record<string, Item[]> = {};
  for (const sort of RANKED_FIGURES) {
    boards[sort] = [];
    for (let page = 1; page <= 5; page++) {
      const ranking = await farmerRanking(db, sort, 3, (page - 1) * 3);
      boards[sort]!.push(...ranking.rows.map(({ farmer, figure }, i) => ({ rank: (page - 1) * 3 + i + 1, ...farmer, figure, total: ranking.total })));
    }
  }
  const launchers = boards.confirmed_points!.map((f) => String(f.launcherId)).sort();
  const farmers: Record<string, unknown> = {};
  for (const id of launchers) {
    const record = await farmerRecord(db, id);
    farmers[id] = {
      detail: {
        ...record,
        balance: await farmerBalance(db, id),
        payoutHistory: await farmerPayoutLines(db, id, 20),
        partials: { allTime: await farmerPartialTotals(db, id), byResult: await farmerPartialResults(db, id) },
      },
      partials: await allPages(['n', 's'], (after) => partialsPage(db, id, { limit: 9, after })),
      hourly: await farmerHours(db, id),
      daily: await farmerPartialDays(db, id),
      history: (await farmerPartialDays(db, id)).map((d) => ({ day: d.day, submitted: d.partials.submitted })),
      planned: (await farmerPlannedLines(db, id)).map((l) => plain(l)).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    };
  }
  const blocksWon = await rewardFigures(db, time - 7 * 86_400);
  return plain({
    ledgerTime: time,
    figures: {
      farmers: await farmerFigures(db),
      last24h: await partialsSinceHour(db, time - 23 * 3600),
      blocks: blocksWon,
      luckPoints: await pointsSubmittedSinceHour(db, time - 7 * 86_400),
      payouts: await payoutFigures(db),
      pointsSinceLastBlock: await pointsSince(db, blocksWon.last ? blocksWon.last.detectedAt : null),
      pointsSinceStart: await pointsSince(db, 0),
    },
    hourly: await poolHours(db, 24 * 31),
    blocks,
    payouts,
    details,
    boards,
    farmers,
  }) as Record<string, unknown>;
}

function readQuerySpecs(open: () => Promise<ReadModelDatabase>, close: (db: ReadModelDatabase) => Promise<void>): void {
  let store: InMemoryEventStore;
  let db: ReadModelDatabase;
  let answers: Record<string, unknown>;
  let types: Map<string, number>;
  let rewardCoins: Set<string>;

  beforeAll(async () => {
    store = new InMemoryEventStore();
    await appendLedger(store, generateLedger({ farmers: 12, events: 4000, seed: 11, secondsPerPartial: 150, rewardEvery: 97, payoutEvery: 401, churn: 20 }));
    types = new Map();
    rewardCoins = new Set();
    for (const e of await store.readAll({ maxCount: 100_000 })) {
      types.set(e.type, (types.get(e.type) ?? 0) + 1);
      if (e.type === 'RewardDetected') rewardCoins.add((e.data as { coinId: string }).coinId);
    }
    db = await open();
    await project(store, db);
    answers = await everything(db);
  });
  afterAll(async () => {
    await close(db);
    await store.close();
  });

  it('pages every list to its end with each row once, in the stated order', () => {
    const blocks = answers.blocks as Item[];
    const coins = new Set(blocks.map((b) => b.coinId));
    expect(coins.size).toBe(blocks.length);
    expect([...coins].sort()).toEqual([...rewardCoins].sort());
    expect(coins.size).toBeGreaterThan(3);
    const heights = blocks.map((b) => Number(b.farmedHeight ?? 0));
    expect(heights).toEqual([...heights].sort((x, y) => y - x));
    expect((answers.payouts as Item[]).map((p) => p.sequence)).toEqual([...Array(types.get('PayoutPlanned')).keys()].map((i) => types.get('PayoutPlanned')! - i));
    for (const [sort, rows] of Object.entries(answers.boards as Record<string, Item[]>)) {
      const key = { points_24h: 'points24h', confirmed_points: 'confirmedPoints', window_points: 'windowPoints', estimated_space: 'estimatedSpace' }[sort]!;
      const values = rows.map((r) => BigInt(String(r[key])));
      // Numerically descending (a text sort would put "9" above "10").
      for (let i = 1; i < values.length; i++) expect(values[i - 1]! >= values[i]!).toBe(true);
      expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => i + 1));
    }
    for (const farmer of Object.values(answers.farmers as Record<string, { partials: Item[] }>)) {
      const proofs = farmer.partials.map((p) => p.proofHash);
      expect(new Set(proofs).size).toBe(proofs.length);
      const times = farmer.partials.map((p) => Number(p.receivedAt));
      expect(times).toEqual([...times].sort((x, y) => y - x));
    }
  });

  it('adds up to the ledger: partials per hour, per day and per farmer', () => {
    const hours = answers.hourly as { partials: { submitted: number } }[];
    expect(hours.reduce((s, h) => s + h.partials.submitted, 0)).toBe(types.get('PartialSubmitted'));
    const farmers = Object.values(answers.farmers as Record<string, { detail: { partials: { allTime: { submitted: number } } }; history: { submitted: number }[] }>);
    expect(farmers.reduce((s, f) => s + f.detail.partials.allTime.submitted, 0)).toBe(types.get('PartialSubmitted'));
    for (const f of farmers) expect(f.history.reduce((s, d) => s + d.submitted, 0)).toBe(f.detail.partials.allTime.submitted);
    expect((answers.details as { lines: unknown[] }[]).every((d) => Array.isArray(d.lines))).toBe(true);
  });
}

describe('read model queries on SQLite', () => {
  readQuerySpecs(
    () => openReadModels(),
    (db) => db.close(),
  );
});

describeWithPostgres('read model queries: PostgreSQL answers as SQLite does', (pgUrl) => {
  const schema = testSchema('h8readapi');
  it('gives the same answer to every query', async () => {
    const ledger = [...generateLedger({ farmers: 12, events: 4000, seed: 11, secondsPerPartial: 150, rewardEvery: 97, payoutEvery: 401, churn: 20 })];
    const store = new InMemoryEventStore();
    await appendLedger(store, ledger);
    const sqlite = await openReadModels();
    const pg = await openReadModels(pgUrl, schema);
    try {
      await project(store, sqlite);
      await project(store, pg);
      const [a, b] = [await everything(sqlite), await everything(pg)];
      expect((a.payouts as unknown[]).length).toBeGreaterThan(2);
      expect(Object.keys(a.farmers as object).length).toBeGreaterThan(5);
      expect(b).toEqual(a);
    } finally {
      await sqlite.close();
      await pg.close();
      await store.close();
      await dropSchema(pgUrl, schema);
    }
  });
});
