import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { createFarmerViewProjection } from '@pool/projections';
import { Projector } from '@pool/read-models';
import { appendLedger, generateLedger, type GeneratedEvent } from '@pool/testing';
import { FARMER_A, FARMER_B, confirmedEvent as confirmed, plannedEvent as planned, registeredEvent as registered, revertedEvent as reverted, submitted } from '@pool/testing';
import { ReadModelDatabase } from '@pool/read-models';
import { buildProgram } from '../program';
import { ledgerStatement, parseLimit } from './ledger.command';

const T0 = 1_750_000_000;

/** Runs `poolctl …` in-process and returns what it printed. */
async function poolctl(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  try {
    await buildProgram().parseAsync(['node', 'poolctl', ...args]);
    return lines;
  } finally {
    log.mockRestore();
  }
}

const asGenerated = (events: GeneratedEvent['event'][]): GeneratedEvent[] =>
  events.map((event, i) => ({ stream: `s-${i}`, id: `00000000-0000-5000-8000-${String(i).padStart(12, '0')}`, event }));

describe('poolctl ledger show (SQLite store)', () => {
  let dir: string;
  let url: string;
  let store: EventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-ledger-'));
    url = `sqlite:${join(dir, 'events.db')}`;
    store = await openEventStore(url);
    await appendLedger(
      store,
      asGenerated([
        registered(FARMER_A, T0, 3),
        submitted(FARMER_A, 'p1', 3, T0 + 10),
        submitted(FARMER_B, 'q1', 8, T0 + 11),
        submitted(FARMER_A, 'p2', 3, T0 + 20),
        confirmed(FARMER_A, 'p1', 3, T0 + 310),
        confirmed(FARMER_A, 'p2', 3, T0 + 320),
        planned(1, T0 + 400, [{ launcherId: FARMER_A, points: 6, amount: 1200 }]),
        reverted(FARMER_A, 'p2', 3, T0 + 500, true),
        submitted(FARMER_A, 'p3', 3, T0 + 600),
      ]),
    );
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints every step of the farmer's history with running balances, from the events alone", async () => {
    const lines = await poolctl(['ledger', 'show', FARMER_A, '--store', url]);
    expect(lines[0]).toBe(`ledger of ${FARMER_A} as of the head of the store (events only)`);
    const steps = lines.slice(2, -1).map((l) => l.split('\t'));
    expect(steps.map((s) => [s[2], s[3], s[4], s[6], s[7], s[8]])).toEqual([
      ['registered', '', '', '0', '0', '0'],
      ['credit', 'p1', '+3', '3', '0', '0'],
      ['credit', 'p2', '+3', '6', '0', '0'],
      ['confirm', 'p1', '+3', '3', '3', '3'],
      ['confirm', 'p2', '+3', '0', '6', '6'],
      ['planned', '', '-6', '0', '6', '0'],
      ['revert', 'p2', '-3', '0', '3', '0'],
      ['credit', 'p3', '+3', '3', '3', '0'],
    ]);
    expect(steps[5]![5]).toBe('+1200');
    expect(lines[lines.length - 1]).toBe('8 steps; pending 3, confirmed 3, unpaid 0 points (3 reverted after payout); allocated 1200, paid 0, carried 0 mojos');
    // The other farmer's partial is not part of A's history.
    expect(lines.some((l) => l.includes('q1'))).toBe(false);
  });

  it('stops at a store position or at a ledger time', async () => {
    const page = await store.readAll({});
    const confirmP1 = page[4]!.position;
    const byPosition = await poolctl(['ledger', 'show', FARMER_A, '--store', url, '--at', String(Number(confirmP1))]);
    expect(byPosition[0]).toContain(`as of position ${confirmP1}`);
    expect(byPosition[byPosition.length - 1]).toMatch(/^4 steps; pending 3, confirmed 3, unpaid 3 points; allocated 0/);

    const byTime = await poolctl(['ledger', 'show', FARMER_A, '--store', url, '--at', new Date((T0 + 450) * 1000).toISOString()]);
    expect(byTime[byTime.length - 1]).toMatch(/^6 steps; pending 0, confirmed 6, unpaid 0 points; allocated 1200/);
  });

  it('refuses a malformed launcher id or --at', async () => {
    await expect(poolctl(['ledger', 'show', 'xyz', '--store', url])).rejects.toThrow(/launcher id/);
    expect(() => parseLimit('yesterday')).toThrow(/--at yesterday/);
    expect(parseLimit('17')).toEqual({ kind: 'position', position: '17'.padStart(20, '0') });
    expect(parseLimit('5:17')).toEqual({ kind: 'position', position: `${'5'.padStart(20, '0')}:${'17'.padStart(20, '0')}` });
  });
});

describe('ledger statements agree with the farmer_view read model', () => {
  it('for every farmer of a generated ledger with reorgs and payouts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pool-ledger-agree-'));
    const store = await openEventStore(`sqlite:${join(dir, 'events.db')}`);
    const db = await ReadModelDatabase.open(`sqlite:${join(dir, 'read-models.db')}`);
    try {
      await appendLedger(store, generateLedger({ farmers: 6, events: 3000, seed: 3, rewardEvery: 50, payoutEvery: 200, churn: 10 }));
      const projection = createFarmerViewProjection();
      await new Projector(store, db, [projection], { batchSize: 64 }).rebuild();
      const view = await db.executor().query<Record<string, unknown>>(
        'SELECT v.launcher_id, v.pending_points, v.confirmed_points, v.window_points, b.carried_mojos, b.paid_mojos, b.reverted_after_payout FROM farmer_view v JOIN farmer_balances b ON b.launcher_id = v.launcher_id ORDER BY v.launcher_id',
      );
      expect(view).toHaveLength(6);
      let paidSomebody = false;
      for (const row of view) {
        const { balances } = await ledgerStatement(store, String(row.launcher_id));
        expect([row.launcher_id, balances.pending, balances.confirmed, balances.unpaid, balances.carried, balances.paid, balances.revertedAfterPayout]).toEqual([
          row.launcher_id,
          BigInt(String(row.pending_points)),
          BigInt(String(row.confirmed_points)),
          BigInt(String(row.window_points)),
          BigInt(String(row.carried_mojos)),
          BigInt(String(row.paid_mojos)),
          BigInt(String(row.reverted_after_payout)),
        ]);
        if (balances.paid > 0n) paidSomebody = true;
      }
      expect(paidSomebody).toBe(true);
    } finally {
      await db.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
