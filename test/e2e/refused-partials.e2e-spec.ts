import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { bytesToHex, PoolErrorCode, PostPartialRequestLegacySchema, type PostPartialRequest } from '@pool/chia';
import { MisbehavingFarmer } from '@pool/devnet';
import { refusalStream, type PartialRefused } from '@pool/domain';
import { allProjections } from '@pool/projections';
import { Projector } from '@pool/read-models';
import { DevnetPoolHarness } from '../support';

type RefusedItem = { refusedAt: number; harvesterId: string; errorCode: number; reason: string; message: string; signagePointHash: string; proofHash: string | null; protocolVersion: number };
type RefusedPage = {
  items: RefusedItem[];
  nextCursor: string | null;
  last24h: { since: number; harvesters: { harvesterId: string; refused: number; byErrorCode: { errorCode: number; reason: string; count: number }[] }[] };
};

const CHROMIUM = '/usr/bin/chromium';

/*
 * Refused partials are visible to their farmer: partials the devnet pool refuses over HTTP are recorded after the
 * answer (registered farmers only), projected, and served by GET /api/farmers/:launcherId/refused-partials with the
 * reason in words and the harvester that sent them.
 */
describe('refused partials against the devnet pool', () => {
  const harness = new DevnetPoolHarness('refused-partials');
  const { chain } = harness;

  function misbehavingFarmer(name: string): MisbehavingFarmer {
    return new MisbehavingFarmer(harness.farmerOptions(`farmer ${name}`));
  }

  async function refusalsRecorded(): Promise<PartialRefused['data'][]> {
    return (await harness.store.readAll({ filter: { types: ['PartialRefused'] } })).map((e) => e.data as PartialRefused['data']);
  }

  /** Recording is asynchronous, after the answer: wait (bounded) until `count` refusals are in the ledger. */
  async function untilRecorded(count: number): Promise<PartialRefused['data'][]> {
    for (let i = 0; i < 500; i++) {
      const recorded = await refusalsRecorded();
      if (recorded.length >= count) return recorded;
      await sleep(20);
    }
    throw new Error(`fewer than ${count} refusals were recorded`);
  }

  async function project(): Promise<void> {
    const controller = new AbortController();
    await new Projector(harness.store, harness.readModels, allProjections).run(controller.signal, () => controller.abort());
  }

  async function refusedPage(launcherId: string, query = ''): Promise<RefusedPage> {
    const response = await fetch(`${harness.poolUrl}/api/farmers/${launcherId}/refused-partials${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as RefusedPage;
  }

  const harvesterOf = (request: PostPartialRequest): string => bytesToHex(request.payload.harvesterId);

  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it("shows a registered farmer its refused partials with the reason in words and the harvester, and nobody an unknown launcher's", async () => {
    const mallory = misbehavingFarmer('mallory');
    await mallory.joinPool();
    chain.farmBlocks(6);
    expect(await mallory.register()).toEqual({ welcome_message: expect.any(String) });
    expect(await mallory.submit(mallory.nextPartial())).toEqual({ new_difficulty: 1 }); // accepted: not a refusal

    // First, refusals of a launcher the pool does not know: one answered "farmer not known", one refused before the
    // farmer is even looked up (a stale v1 token). The queue is first in, first out: once the registered farmer's
    // refusals that follow are recorded, these have been dealt with.
    const stranger = misbehavingFarmer('stranger');
    await stranger.joinPool();
    chain.farmBlocks(6);
    expect((await stranger.submit(stranger.nextPartial())).error_code).toBe(PoolErrorCode.FARMER_NOT_KNOWN);
    const staleToken = PostPartialRequestLegacySchema.toJson(stranger.nextPartial()) as { payload: { authentication_token: unknown } };
    staleToken.payload.authentication_token = 1;
    expect((await stranger.post('/partial', staleToken, 'POST')).error_code).toBe(PoolErrorCode.INVALID_AUTHENTICATION_TOKEN);

    const limit = harness.config.settings.partialTimeLimit;
    const late = await mallory.sendLatePartial(limit);
    expect(late.answer.error_code).toBe(PoolErrorCode.TOO_LATE);
    const tampered = await mallory.sendTamperedPartial(); // another harvester id than the one signed
    expect(tampered.answer.error_code).toBe(PoolErrorCode.INVALID_SIGNATURE);

    const recorded = await untilRecorded(2);
    expect(recorded.map((r) => r.launcherId)).toEqual([mallory.launcherId, mallory.launcherId]);
    expect(await harness.store.readStream(refusalStream(stranger.launcherId)).catch((error: Error) => error.name)).toBe('StreamNotFoundError');

    await project();
    const page = await refusedPage(mallory.launcherId);
    expect(page.items.map((x) => [x.harvesterId, x.errorCode, x.reason, x.message, x.protocolVersion])).toEqual([
      [harvesterOf(tampered.request), PoolErrorCode.INVALID_SIGNATURE, 'invalid signature', tampered.answer.error_message, 1],
      [harvesterOf(late.request), PoolErrorCode.TOO_LATE, 'too late', late.answer.error_message, 1],
    ]);
    expect(page.items[1]).toMatchObject({ signagePointHash: bytesToHex(late.request.payload.spHash), proofHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // One harvester's refusals only, and the last 24 h per harvester.
    const lateOnly = await refusedPage(mallory.launcherId, `?harvester=0x${harvesterOf(late.request)}`);
    expect(lateOnly.items.map((x) => x.reason)).toEqual(['too late']);
    expect(page.last24h.harvesters.map((h) => [h.harvesterId, h.refused, h.byErrorCode.map((c) => c.reason)]).sort()).toEqual(
      [
        [harvesterOf(late.request), 1, ['too late']],
        [harvesterOf(tampered.request), 1, ['invalid signature']],
      ].sort(),
    );

    // The harvesters' figures count their errors, and a harvester whose every partial was refused is listed too.
    const figures = await fetch(`${harness.poolUrl}/api/farmers/${mallory.launcherId}/harvesters`).then((r) => r.json() as Promise<{ harvesters: { harvesterId: string; partials: { submitted: number }; refused: { last24h: number } }[] }>);
    for (const refused of [late, tampered]) {
      expect(figures.harvesters.find((h) => h.harvesterId === harvesterOf(refused.request))).toMatchObject({ refused: { last24h: 1 } });
    }
    expect(figures.harvesters.filter((h) => h.refused.last24h === 0).every((h) => h.partials.submitted > 0)).toBe(true);

    // Paged like the other lists.
    const first = await refusedPage(mallory.launcherId, '?limit=1');
    const second = await refusedPage(mallory.launcherId, `?limit=1&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items]).toEqual(page.items);
    expect(second.nextCursor).toBeNull();
    shown = { launcherId: mallory.launcherId, page };
  });

  let shown: { launcherId: string; page: RefusedPage } | undefined;

  // Debian's chromium, as the dashboard e2e uses it (which says how CI installs it); without it this one is skipped.
  (existsSync(CHROMIUM) ? it : it.skip)("shows them in the farmer's dashboard page, per harvester and one by one", async () => {
    const { launcherId, page: api } = shown!;
    const profile = mkdtempSync(join(tmpdir(), 'pool-chromium-profile-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${harness.poolUrl}/dashboard/farmer/${launcherId}`);
      await page.locator('#refused-partials tbody tr[data-error-code]').first().waitFor();
      const rows = await page.locator('#refused-partials tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-error-code'), tr.children[2]?.textContent, tr.children[3]?.textContent]));
      expect(rows).toEqual(api.items.map((x) => [String(x.errorCode), x.reason, x.message]));
      const harvesters = await page.locator('#refusals-by-harvester tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-harvester')));
      expect(harvesters).toEqual(api.last24h.harvesters.map((x) => x.harvesterId));
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
