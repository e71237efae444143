import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refusalStream, type PartialRefused } from '@pool/domain';
import { openEventStore } from '@pool/event-store';
import { type GlobalPosition } from '@pool/event-sourcing';
import { syntheticLauncherId, syntheticLedger } from '@pool/testing';
import { buildProgram } from '../program';

const refusal = (n: number): PartialRefused => ({
  type: 'PartialRefused',
  data: {
    launcherId: syntheticLauncherId(n % 30),
    harvesterId: 'e'.repeat(64),
    proofHash: null,
    signagePointHash: 'f'.repeat(64),
    endOfSubSlot: false,
    errorCode: 7,
    reason: 'the aggregate signature does not verify',
    receivedAt: 1_800_000_000 + n,
    protocolVersion: 1,
  },
});

/**
 * Writes the same synthetic ledger; with `refusals`, a refused partial is logged before every batch, so each payout
 * plan is computed at a ledger position that is a refusal (the api logs them while the worker plans).
 */
async function writeLedger(url: string, refusals: boolean): Promise<number> {
  const store = await openEventStore(url);
  let last: GlobalPosition | undefined;
  let logged = 0;
  try {
    for (const batch of syntheticLedger({ farmers: 30, payouts: 8, partialsPerPayout: 60, seed: 5 })) {
      if (refusals) {
        const event = refusal(logged++);
        last = (await store.append(refusalStream(event.data.launcherId), [{ id: randomUUID(), ...event }], { expectedRevision: 'any' })).position;
      }
      const events = batch.events(last).map((e) => ({ id: randomUUID(), ...e }));
      last = (await store.append(batch.stream, events, { expectedRevision: 'any' })).position;
    }
  } finally {
    await store.close();
  }
  return logged;
}

/** `poolctl audit …` in-process: its lines, with store positions and timings taken out (the two stores differ there). */
async function audit(args: string[]): Promise<{ lines: string[]; exitCode: number }> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  const previous = process.exitCode;
  process.exitCode = 0;
  try {
    await buildProgram().parseAsync(['node', 'poolctl', 'audit', ...args]);
    const normalised = lines.map((l) => l.replace(/at position \d+/g, 'at position _').replace(/^\d+\t/, '_\t').replace(/ in [\d.]+ s \(.*\)$/, ''));
    return { lines: normalised, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = previous;
    log.mockRestore();
  }
}

describe('poolctl audit ignores the refused-partials log', () => {
  let dir: string;
  const without = (): string => `sqlite:${join(dir, 'without.db')}`;
  const withRefusals = (): string => `sqlite:${join(dir, 'with-refusals.db')}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pool-audit-refusals-'));
    await writeLedger(without(), false);
    expect(await writeLedger(withRefusals(), true)).toBeGreaterThan(8);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same payouts, books and summary with refusals in the ledger as without', async () => {
    const plain = await audit(['--store', without()]);
    const logged = await audit(['--store', withRefusals()]);
    expect(plain.lines[plain.lines.length - 1]).toMatch(/^audit passed: \d+ ledger events, 8 payouts, 0 mismatches, 0 problems$/);
    expect(logged).toEqual(plain);
  });

  it("gives the same farmer statement with refusals in the ledger as without (the farmer's own refusals included)", async () => {
    const farmer = syntheticLauncherId(0);
    const plain = await audit(['--store', without(), '--farmer', farmer]);
    expect(plain.lines.length).toBeGreaterThan(2);
    expect(await audit(['--store', withRefusals(), '--farmer', farmer])).toEqual(plain);
  });
});
