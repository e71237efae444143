import { NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { gunzipSync } from 'node:zlib';
import { auditLedger, LEDGER_SEALS_STREAM, readLedgerExport, type LedgerSealed } from '@pool/domain';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { InMemoryEventStore } from '@pool/event-store';
import { appendLedger, generateLedger } from '@pool/testing';
import { LedgerSealer } from '@pool/worker';
import { ClosedPeriodsHandler, LedgerExportHandler, MAX_CONCURRENT_EXPORTS } from './ledger-exports.handler';
import { LedgerExportQuery } from './ledger-exports.query';

async function gunzipped(stream: NodeJS.ReadableStream): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return gunzipSync(Buffer.concat(chunks)).toString('utf8').split('\n').filter((line) => line !== '');
}

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

describe('ledger exports of closed periods', () => {
  let store: InMemoryEventStore;
  let periods: ClosedPeriodsHandler;
  let exports: LedgerExportHandler;
  let seals: LedgerSealed['data'][];

  beforeEach(async () => {
    store = new InMemoryEventStore();
    await appendLedger(store, generateLedger({ farmers: 3, events: 700, seed: 3, rewardEvery: 40, payoutEvery: 150 }));
    await new LedgerSealer({ store, runner: new StreamCommandRunner(store), schedule: { everyEvents: 100, everySeconds: 600 }, now: () => 1_800_000_000 }).catchUp();
    seals = (await store.readStream(LEDGER_SEALS_STREAM)).map((e) => e.data as LedgerSealed['data']);
    periods = new ClosedPeriodsHandler(store);
    exports = new LedgerExportHandler(store, periods);
  });
  afterEach(() => store.close());

  it('lists the seals at payout plans, newest first, and no interval seal', async () => {
    const { items } = await periods.execute();
    const atPlans = seals.filter((s) => s.reason === 'payout');
    expect(atPlans.length).toBeGreaterThan(0);
    expect(seals.length).toBeGreaterThan(atPlans.length);
    expect(items.map((p) => [p.sequence, p.payoutId, p.coveredPosition, p.hash])).toEqual(atPlans.reverse().map((s) => [s.sequence, s.payoutId, s.coveredPosition, s.hash]));
  });

  it('streams the ledger through the seal, seal included, and that export audits with every seal verified', async () => {
    const [period] = (await periods.execute()).items.slice(-1);
    const { stream } = await exports.execute(new LedgerExportQuery(period!.sequence));
    const lines = await gunzipped(stream);
    const last = JSON.parse(lines[lines.length - 1]!) as { position: string; type: string; data: LedgerSealed['data'] };
    expect(last).toMatchObject({ position: period!.position, type: 'LedgerSealed', data: { sequence: period!.sequence } });
    const report = await auditLedger(readLedgerExport(each(lines)));
    expect(report.seals).toMatchObject({ seals: period!.sequence, verified: period!.sequence });
    expect(report.problems.filter((p) => p.message.startsWith('seal '))).toEqual([]);
  });

  it('404s a seal that is not at a payout plan, and refuses more than the concurrent exports it streams', async () => {
    const interval = seals.find((s) => s.reason === 'interval')!;
    await expect(exports.execute(new LedgerExportQuery(interval.sequence))).rejects.toThrow(NotFoundException);
    await expect(exports.execute(new LedgerExportQuery(10_000))).rejects.toThrow(NotFoundException);
    const sequence = seals.find((s) => s.reason === 'payout')!.sequence;
    const open = [];
    for (let i = 0; i < MAX_CONCURRENT_EXPORTS; i++) open.push(await exports.execute(new LedgerExportQuery(sequence)));
    await expect(exports.execute(new LedgerExportQuery(sequence))).rejects.toThrow(ServiceUnavailableException);
    // A finished (or abandoned) download frees its place.
    await gunzipped(open[0]!.stream);
    open[1]!.stream.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    const again = await exports.execute(new LedgerExportQuery(sequence));
    expect(again.period.sequence).toBe(sequence);
    again.stream.destroy();
  });
});
