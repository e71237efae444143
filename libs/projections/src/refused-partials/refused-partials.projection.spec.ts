import { randomUUID } from 'node:crypto';
import { PoolErrorCode } from '@pool/chia';
import { refusalStream, type PartialRefused } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import type { RecordedEvent } from '@pool/event-sourcing';
import type { ReadModelDatabase } from '@pool/read-models';
import { FARMER_A, FARMER_B, openReadModels, ProjectionHarness } from '@pool/testing';
import { createRefusedPartialsProjection } from './refused-partials.projection';

const DAY = 86_400;
const T0 = 1_750_032_000;
const HARVESTER_1 = '1'.repeat(64);
const HARVESTER_2 = '2'.repeat(64);

const refused = (launcherId: string, harvesterId: string, at: number, errorCode = PoolErrorCode.TOO_LATE): PartialRefused => ({
  type: 'PartialRefused',
  data: {
    launcherId,
    harvesterId,
    proofHash: null,
    signagePointHash: 'f'.repeat(64),
    endOfSubSlot: false,
    errorCode,
    reason: `refused at ${at}`,
    receivedAt: at,
    protocolVersion: 1,
  },
});

/** Records the refusals in their farmers' streams, in this order, and returns them as the store hands them out. */
async function recorded(events: readonly PartialRefused[]): Promise<RecordedEvent[]> {
  const store = new InMemoryEventStore();
  for (const event of events) {
    await store.append(refusalStream(event.data.launcherId), [{ id: randomUUID(), type: event.type, data: event.data }], { expectedRevision: 'any' });
  }
  const all = await store.readAll();
  await store.close();
  return all;
}

describe('refused_partials projection', () => {
  let db: ReadModelDatabase;
  beforeEach(async () => {
    db = await openReadModels();
  });
  afterEach(() => db.close());

  it('keeps each refusal with its farmer, harvester, code, message and signage point', async () => {
    const harness = await ProjectionHarness.open(db, createRefusedPartialsProjection());
    const events = await recorded([refused(FARMER_A, HARVESTER_1, T0), refused(FARMER_A, HARVESTER_2, T0 + 5, PoolErrorCode.INVALID_SIGNATURE)]);
    await harness.apply(events);
    const rows = await harness.rows('refused_partials', 'refused_at');
    expect(rows.map((r) => [r.position, r.launcher_id, r.harvester_id, Number(r.refused_at), r.error_code, r.reason])).toEqual([
      [events[0]!.position, FARMER_A, HARVESTER_1, T0, PoolErrorCode.TOO_LATE, `refused at ${T0}`],
      [events[1]!.position, FARMER_A, HARVESTER_2, T0 + 5, PoolErrorCode.INVALID_SIGNATURE, `refused at ${T0 + 5}`],
    ]);
    expect(rows[0]).toMatchObject({ signage_point_hash: 'f'.repeat(64), end_of_sub_slot: 0, proof_hash: null, protocol_version: 1 });
  });

  it('prunes to the retention before the newest refusal, with the same rows however the events are batched', async () => {
    // Replicas' clocks differ: refusal times are not in ledger order. Retention 2 days.
    const events = await recorded([
      refused(FARMER_A, HARVESTER_1, T0),
      refused(FARMER_B, HARVESTER_2, T0 + DAY),
      refused(FARMER_A, HARVESTER_2, T0 + 2 * DAY + 100),
      refused(FARMER_A, HARVESTER_1, T0 + 10), // already past the cut-off where it sits in the ledger
      refused(FARMER_B, HARVESTER_1, T0 + 3 * DAY),
      refused(FARMER_A, HARVESTER_1, T0 + 3 * DAY - 50), // within the window of the newest, though older than it
      refused(FARMER_B, HARVESTER_2, T0 + 2 * DAY),
    ]);
    const results: { hashes: Record<string, string>; times: number[] }[] = [];
    for (const batchSize of [events.length, 1, 2, 3]) {
      const built = await openReadModels();
      try {
        const harness = await ProjectionHarness.open(built, createRefusedPartialsProjection({ retentionSeconds: 2 * DAY }));
        await harness.apply(events, batchSize);
        const times = (await harness.rows('refused_partials', 'refused_at')).map((r) => Number(r.refused_at));
        results.push({ hashes: await harness.hashes(), times });
      } finally {
        await built.close();
      }
    }
    // Newest T0 + 3 days: every refusal from T0 + 1 day on stays, whatever the batches were.
    expect(results[0]!.times).toEqual([T0 + DAY, T0 + 2 * DAY, T0 + 2 * DAY + 100, T0 + 3 * DAY - 50, T0 + 3 * DAY]);
    for (const result of results.slice(1)) expect(result).toEqual(results[0]);
  });

  it("writes in a rebuild no refusal that the cut-off at its newest refusal's time deletes, and ends with the same table", async () => {
    const projection = createRefusedPartialsProjection({ retentionSeconds: DAY });
    const live = await ProjectionHarness.open(db, projection);
    const rebuilt = await ProjectionHarness.open(db, projection);
    const events = await recorded([refused(FARMER_A, HARVESTER_1, T0), refused(FARMER_B, HARVESTER_2, T0 + 60), refused(FARMER_A, HARVESTER_1, T0 + 3 * DAY)]);
    await live.apply(events.slice(0, 2));
    await rebuilt.apply(events.slice(0, 2), 100, events.slice(-1));
    expect(await live.rows('refused_partials')).toHaveLength(2);
    expect(await rebuilt.rows('refused_partials')).toEqual([]);
    await live.apply(events.slice(2));
    await rebuilt.apply(events.slice(2), 100, events.slice(-1));
    expect((await rebuilt.rows('refused_partials')).map((r) => r.refused_at)).toEqual([T0 + 3 * DAY]);
    expect(await rebuilt.hashes()).toEqual(await live.hashes());
  });
});
