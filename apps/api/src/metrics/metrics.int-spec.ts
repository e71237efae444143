import { randomUUID } from 'node:crypto';
import { type SimulatedFarmer } from '@pool/devnet';
import { rewardStream } from '@pool/domain';
import { allProjections } from '@pool/projections';
import { Projector } from '@pool/read-models';
import { DevnetPoolHarness } from '@pool/testing';
import { parsePrometheusText, seriesKey } from '@pool/runtime';

/**
 * /metrics against the devnet: real farmers send real partials through the real HTTP stack, and the series that
 * count them, time them, time the appends, follow the chain, the projector and the ledger must move accordingly.
 */
describe('GET /metrics', () => {
  const harness = new DevnetPoolHarness('metrics');
  const { chain } = harness;

  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  async function scrape(): Promise<Map<string, number>> {
    const response = await fetch(`${harness.poolUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await response.text());
  }
  const value = (m: Map<string, number>, name: string, labels: Record<string, string> = {}): number => m.get(seriesKey(name, labels)) ?? 0;

  async function partials(f: SimulatedFarmer, count: number): Promise<Awaited<ReturnType<SimulatedFarmer['submit']>>[]> {
    const answers = [];
    const requests = [];
    for (let sp = 0; sp < 2000 && requests.length < count; sp++) {
      chain.advanceSignagePoints(1);
      requests.push(...f.partialsFor(chain.latestSignagePoint(), chain.peakHeight() + 1).slice(0, count - requests.length));
    }
    for (const request of requests) answers.push({ request, answer: await f.submit(request) });
    return answers as never;
  }

  it('counts and times partials by result and error code, appends, chain height and projector lag', async () => {
    const before = await scrape();
    // Present at zero before the first partial, so "no partial accepted" alerts can fire on a fresh instance.
    expect(before.get(seriesKey('pool_partials_total', { version: 'v1', result: 'accepted', error_code: '' }))).toBe(0);
    // Declared series exist before anything happened, so dashboards and alerts have something to read.
    expect(before.has('pool_process_resident_memory_bytes')).toBe(true);

    const f = harness.farmer('metrics');
    await f.joinPool();
    chain.farmBlocks(6);
    expect(await f.register()).toEqual({ welcome_message: expect.any(String) });
    const sent = (await partials(f, 2)) as unknown as { request: Parameters<SimulatedFarmer['submit']>[0]; answer: Record<string, unknown> }[];
    expect(sent.map((s) => s.answer)).toEqual([{ new_difficulty: 1 }, { new_difficulty: 1 }]);
    expect(await f.submit(sent[0]!.request)).toMatchObject({ error_code: 16 });
    const bad = await fetch(`${harness.poolUrl}/partial`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"payload": ' });
    expect(await bad.json()).toMatchObject({ error_code: 8 });
    const v2 = (await (await fetch(`${harness.poolUrl}/v2/partial`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as {
      error_code: number;
    };
    expect(v2.error_code).toEqual(expect.any(Number));

    const after = await scrape();
    expect(value(after, 'pool_partials_total', { version: 'v1', result: 'accepted', error_code: '' })).toBe(2);
    expect(value(after, 'pool_partials_total', { version: 'v1', result: 'rejected', error_code: '16' })).toBe(1);
    expect(value(after, 'pool_partials_total', { version: 'v1', result: 'rejected', error_code: '8' })).toBe(1);
    expect(value(after, 'pool_partials_total', { version: 'v2', result: 'rejected', error_code: String(v2.error_code) })).toBe(1);
    expect(value(after, 'pool_partial_validation_seconds_count', { result: 'accepted' })).toBe(2);
    expect(value(after, 'pool_partial_validation_seconds_sum', { result: 'accepted' })).toBeGreaterThan(0);
    // Registration and two partials appended; the duplicate's append was refused by the store ("no stream").
    expect(value(after, 'pool_event_store_append_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(3);
    expect(value(after, 'pool_chain_reachable')).toBe(1);
    expect(value(after, 'pool_chain_peak_height')).toBe(chain.peakHeight());
    // No projector runs in this harness: the two partials wait.
    expect(value(after, 'pool_projector_lag_events', { projection: 'farmer_points' })).toBe(2);

    const controller = new AbortController();
    await new Projector(harness.store, harness.readModels, allProjections).run(controller.signal, () => controller.abort());
    const projected = await scrape();
    expect(value(projected, 'pool_projector_lag_events', { projection: 'farmer_points' })).toBe(0);
    expect(value(projected, 'pool_ledger_partials', { state: 'submitted' })).toBe(2);
    expect(value(projected, 'pool_farmers')).toBe(1);
    // Before the projector first ran there was no farmer_points table to read: counted as failed collections,
    // which stop once the table exists.
    expect(value(after, 'pool_metrics_collect_errors_total', { source: 'read_models' })).toBeGreaterThan(0);
    expect(value(projected, 'pool_metrics_collect_errors_total', { source: 'read_models' })).toBe(value(after, 'pool_metrics_collect_errors_total', { source: 'read_models' }));
    expect(value(projected, 'pool_metrics_collect_errors_total', { source: 'ledger' })).toBe(0);
  });

  it('reads rewards and reorgs from the ledger on scrape', async () => {
    const coinId = 'c1'.repeat(32);
    const detected = { coinId, launcherId: 'aa'.repeat(32), puzzleHash: 'bb'.repeat(32), amount: '1750000000000', farmedHeight: 5, confirmedHeight: 5, detectedAt: 1 };
    await harness.store.append(rewardStream(coinId), [{ id: randomUUID(), type: 'RewardDetected', data: detected }], { expectedRevision: 'no_stream' });
    const reorg = { reorgId: '7:ab', forkHeight: 7, depth: 9, oldPeak: { height: 16, headerHash: 'ab' }, newPeak: { height: 17, headerHash: 'cd' }, safeDepth: 6, deep: true, at: 2 };
    await harness.store.append('chain-reorgs', [{ id: randomUUID(), type: 'ChainReorgDetected', data: reorg }], { expectedRevision: 'any' });

    const m = await scrape();
    expect(value(m, 'pool_rewards_total', { state: 'pending' })).toBe(1);
    expect(value(m, 'pool_rewards_mojos', { state: 'pending' })).toBe(1_750_000_000_000);
    expect(value(m, 'pool_chain_reorgs_total', { deep: 'true' })).toBe(1);
    expect(value(m, 'pool_chain_reorg_max_depth')).toBe(9);

    await harness.store.append(
      rewardStream(coinId),
      [{ id: randomUUID(), type: 'RewardAbsorbed', data: { ...detected, absorbTransactionId: 'dd'.repeat(32), absorbedHeight: 40, poolCoinId: 'ee'.repeat(32), fee: '0', absorbedAt: 3 } }],
      { expectedRevision: 0n },
    );
    const later = await scrape();
    expect(value(later, 'pool_rewards_total', { state: 'pending' })).toBe(0);
    expect(value(later, 'pool_rewards_total', { state: 'absorbed' })).toBe(1);
    expect(value(later, 'pool_rewards_total', { state: 'detected' })).toBe(1);
  });
});
