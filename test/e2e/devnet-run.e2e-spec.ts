import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditLedger, type PayoutConfirmed, type PayoutSent } from '@pool/domain';
import { DEVNET_FARMER_USER_AGENT, DEVNET_FARMER_VERSION } from '@pool/devnet';
import { openEventStore } from '@pool/event-store';
import { type RecordedEvent } from '@pool/event-sourcing';
import { readWholeStore } from '@pool/poolctl';
import { DEVNET_DEFAULTS } from '@pool/poolctl';
import { PREVIOUS_RUNS } from '@pool/poolctl';
import { MILESTONES } from '@pool/poolctl';
import { runDevnet, type DevnetRunOptions } from '@pool/poolctl';
import { runPoolctl as poolctl } from '../support';


async function ledgerEvents(url: string): Promise<RecordedEvent[]> {
  const store = await openEventStore(url);
  try {
    const events: RecordedEvent[] = [];
    for (;;) {
      const page = await store.readAll({ ...(events.length > 0 ? { after: events[events.length - 1]!.position } : {}), maxCount: 5000 });
      events.push(...page);
      if (page.length < 5000) return events;
    }
  } finally {
    await store.close();
  }
}

/**
 * `npm start` is `poolctl devnet run` with its defaults: run in-process here, with the same settings, until the
 * whole cycle has happened (capped at 100 s). The ledger it leaves must hold every step, audit to the mojo and
 * rebuild; a second run on the same directory must start its own ledger and stop cleanly on its signal.
 */
describe('poolctl devnet run (npm start): a living pool', () => {
  let dir: string;
  const lines: string[] = [];
  const options = (): DevnetRunOptions => ({
    ...DEVNET_DEFAULTS,
    dataDir: dir,
    port: 0,
    host: '127.0.0.1',
    log: (line) => void lines.push(line),
  });
  const events = (): string => `sqlite:${join(dir, 'events.db')}`;
  const readModels = (): string => `sqlite:${join(dir, 'read-models.db')}`;

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'devnet-run-e2e-'))));
  afterAll(() => {
    // The run's own account, for whoever reads the CI log: the time to each milestone.
    if (lines.length > 0) console.log(lines.join('\n'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes from the first partial to a confirmed payout on its own, announcing each step once', async () => {
    // The addresses it prints answer while it runs (asked as soon as they are printed).
    const pages: Promise<number>[] = [];
    const log = (line: string): void => {
      lines.push(line);
      const urls = /^devnet: dashboard (\S+), API docs (\S+)$/.exec(line);
      if (urls) for (const url of urls.slice(1)) pages.push(fetch(url).then((response) => response.status));
    };
    const summary = await runDevnet({ ...options(), log, durationSeconds: 100, stopAfterCycle: true }, new AbortController().signal);
    expect(await Promise.all(pages)).toEqual([200, 200]);

    expect(Object.keys(summary.milestones).sort()).toEqual([...MILESTONES].sort());
    for (const label of ['partial accepted', 'points confirmed', 'block won by a pool farmer', 'reward absorbed', 'payout sent', 'payout confirmed']) {
      expect(lines.filter((line) => line.startsWith(`first ${label} after `))).toHaveLength(1);
    }
    expect(lines).toContainEqual(expect.stringMatching(/^devnet: dashboard http:\/\/localhost:\d+\/dashboard, API docs http:\/\/localhost:\d+\/api\/docs$/));
    // The order a pool's cycle must follow, whatever the timing: points before a payout, a reward before it is paid.
    const t = summary.milestones as Required<typeof summary.milestones>;
    expect(t.partialAccepted).toBeLessThanOrEqual(t.pointsConfirmed);
    expect(t.blockWon).toBeLessThanOrEqual(t.rewardAbsorbed);
    expect(t.rewardAbsorbed).toBeLessThanOrEqual(t.payoutSent);
    expect(t.payoutSent).toBeLessThanOrEqual(t.payoutConfirmed);
    expect(summary.farmerErrors).toBe(0);
    expect(summary.blocksWon).toBeGreaterThan(0);

    const ledger = await ledgerEvents(events());
    const ofType = (type: string): RecordedEvent[] => ledger.filter((e) => e.type === type);
    // Every partial the farmers saw accepted is one PartialSubmitted in the ledger, no more, no fewer.
    expect(ofType('PartialSubmitted')).toHaveLength(summary.partialsAccepted);
    // ... at schema 2, with what the farmers sent beside the signed payload (their harvester, plot and versions).
    for (const partial of ofType('PartialSubmitted')) {
      expect(partial.schemaVersion).toBe(2);
      expect(partial.data).toMatchObject({
        harvesterId: expect.stringMatching(/^[0-9a-f]{64}$/),
        plotPublicKey: expect.stringMatching(/^[0-9a-f]{96}$/),
        plotId: expect.stringMatching(/^[0-9a-f]{64}$/),
        farmerVersion: DEVNET_FARMER_VERSION,
        harvesterVersion: DEVNET_FARMER_VERSION,
        userAgent: DEVNET_FARMER_USER_AGENT,
      });
    }
    // Both kinds of farmers by default: v1 plot NFTs and Chia's v2 Plot NFTs, each registered and earning.
    const protocolOf = new Map(ofType('FarmerRegistered').map((e) => [(e.data as { launcherId: string }).launcherId, (e.data as { protocolVersion: number }).protocolVersion]));
    expect([...new Set(protocolOf.values())].sort()).toEqual([1, 2]);
    const earning = new Set(ofType('PartialSubmitted').map((e) => protocolOf.get((e.data as { launcherId: string }).launcherId)));
    expect([...earning].sort()).toEqual([1, 2]);
    expect(ofType('PartialConfirmed').length).toBeGreaterThan(0);
    expect(ofType('RewardAbsorbed').length).toBeGreaterThan(0);
    const sent = ofType('PayoutSent').map((e) => (e.data as PayoutSent['data']).payoutId);
    const confirmed = ofType('PayoutConfirmed').map((e) => (e.data as PayoutConfirmed['data']).payoutId);
    expect(confirmed.length).toBeGreaterThan(0);
    for (const id of confirmed) expect(sent).toContain(id);
  }, 150_000);

  it('leaves a ledger the audit recomputes to the mojo and the projections rebuild from', async () => {
    const store = await openEventStore(events());
    try {
      const report = await auditLedger(readWholeStore(store));
      expect(report.problems).toEqual([]);
      expect(report.summary.mismatches).toBe(0);
      expect(report.summary.payouts).toBeGreaterThan(0);
      expect(report.summary.paid).toBeGreaterThan(0n);
      expect(report.summary.balanced).toBe(true);
      expect(report.ok).toBe(true);
    } finally {
      await store.close();
    }

    const audit = await poolctl(['--event-store', events(), 'audit']);
    expect(audit.exitCode).toBe(0);
    expect(audit.lines[audit.lines.length - 1]).toMatch(/^audit passed: \d+ ledger events, [1-9]\d* payouts, 0 mismatches, 0 problems/);
    const rebuild = await poolctl(['--event-store', events(), '--read-models', readModels(), 'projections', 'rebuild']);
    expect(rebuild.lines[0]).toMatch(/^rebuilt .*farmer_points.*: \d+ events applied/);
  });

  it('starts a new ledger on the next run, keeps the previous one, and stops cleanly on its signal', async () => {
    const before = (await ledgerEvents(events())).length;
    const stop = new AbortController();
    const log = (line: string): void => {
      lines.push(line);
      // Stop as soon as the farmers are at work: a signal in the middle of the loop.
      if (line.startsWith('first partial accepted')) stop.abort();
    };
    const run = runDevnet({ ...options(), log }, stop.signal);
    const timer = setTimeout(() => stop.abort(), 60_000);
    const summary = await run.finally(() => clearTimeout(timer));

    expect(summary.milestones.partialAccepted).toBeDefined();
    const previous = readdirSync(join(dir, PREVIOUS_RUNS));
    expect(previous).toHaveLength(1);
    expect(existsSync(join(dir, PREVIOUS_RUNS, previous[0]!, 'events.db'))).toBe(true);
    expect((await ledgerEvents(`sqlite:${join(dir, PREVIOUS_RUNS, previous[0]!, 'events.db')}`)).length).toBe(before);
    // The new ledger holds only this run: its partials, none refused as a duplicate (REQUEST_FAILED, 16) of the
    // previous run's, which came from the same signage points. (A partial refused as late, 2, is the machine's load.)
    const ledger = await ledgerEvents(events());
    expect(ledger.filter((e) => e.type === 'PartialSubmitted')).toHaveLength(summary.partialsAccepted);
    expect(summary.partialsAccepted).toBeGreaterThan(0);
    expect(summary.partialsRejected['16']).toBeUndefined();
    const audit = await poolctl(['--event-store', events(), 'audit']);
    expect(audit.exitCode).toBe(0);
  }, 90_000);
});
