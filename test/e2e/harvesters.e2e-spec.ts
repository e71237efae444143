import { bytesToHex, plotIdFromPoolContractPuzzleHash, PostPartialRequestLegacySchema, stringifyChiaJson, type PostPartialRequest } from '@pool/chia';
import { estimatedSpaceFromPoints, farmingSpanSeconds, MAINNET_SPACE_CONSTANTS, PARTIAL_HEADER_MAX_LENGTH, type PartialSubmitted } from '@pool/domain';
import { allProjections } from '@pool/projections';
import { Projector } from '@pool/read-models';
import { DevnetPoolHarness } from '../support';

/*
 * Everything the farmer sends with a partial is kept: partials posted over HTTP with the headers Chia's farmer sends
 * (chia/farmer/farmer_api.py: User-Agent, chia-farmer-version, chia-harvester-version) are recorded at
 * PartialSubmitted schema 2 with the signed harvester id, the plot key and plot id, and served per harvester by
 * GET /api/farmers/:launcherId/harvesters.
 */
describe('harvesters against the devnet pool', () => {
  const harness = new DevnetPoolHarness('harvesters');
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  const CHIA_HEADERS = { 'user-agent': 'Chia Blockchain v.2.5.0', 'chia-farmer-version': '2.5.0', 'chia-harvester-version': '2.4.4' };

  /** POST /partial as Chia's farmer does: the JSON body and its version headers. */
  async function postPartial(request: PostPartialRequest, headers: Record<string, string>): Promise<Record<string, unknown>> {
    const response = await fetch(`${harness.poolUrl}/partial`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: stringifyChiaJson(PostPartialRequestLegacySchema.toJson(request)),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  /** Every PartialSubmitted as the store holds it, in ledger order. */
  async function recorded(): Promise<{ schemaVersion: number; data: PartialSubmitted['data'] }[]> {
    const all = await harness.store.readAll({ filter: { types: ['PartialSubmitted'] } });
    return all.map((e) => ({ schemaVersion: e.schemaVersion, data: e.data as PartialSubmitted['data'] }));
  }

  it('records the harvester id, plot key, plot id and version headers of each partial, and serves them per harvester', async () => {
    const farmer = harness.farmer('harvesters');
    await farmer.joinPool();
    harness.chain.farmBlocks(6);
    expect(await farmer.register()).toEqual({ welcome_message: expect.any(String) });

    const first = farmer.nextPartial();
    expect(await postPartial(first, CHIA_HEADERS)).toEqual({ new_difficulty: 1 });
    // A farmer cannot bloat the ledger through a header: it is kept to PARTIAL_HEADER_MAX_LENGTH characters.
    const second = farmer.nextPartial();
    expect(await postPartial(second, { ...CHIA_HEADERS, 'chia-harvester-version': 'x'.repeat(3000) })).toEqual({ new_difficulty: 1 });

    const [a, b] = await recorded();
    const pos = first.payload.proofOfSpace;
    expect(a).toEqual({
      schemaVersion: 2,
      data: expect.objectContaining({
        launcherId: farmer.launcherId,
        harvesterId: bytesToHex(first.payload.harvesterId),
        plotPublicKey: bytesToHex(pos.plotPublicKey),
        plotId: bytesToHex(plotIdFromPoolContractPuzzleHash(pos.poolContractPuzzleHash!, pos.plotPublicKey)),
        endOfSubSlot: first.payload.endOfSubSlot,
        farmerVersion: '2.5.0',
        harvesterVersion: '2.4.4',
        userAgent: 'Chia Blockchain v.2.5.0',
      }),
    });
    expect(a!.data.harvesterId).toMatch(/^[0-9a-f]{64}$/);
    expect(b!.data.harvesterVersion).toBe('x'.repeat(PARTIAL_HEADER_MAX_LENGTH));

    const controller = new AbortController();
    await new Projector(harness.store, harness.readModels, allProjections).run(controller.signal, () => controller.abort());
    const response = await fetch(`${harness.poolUrl}/api/farmers/0x${farmer.launcherId}/harvesters`);
    expect(response.status).toBe(200);
    const points = BigInt(a!.data.points) + BigInt(b!.data.points);
    expect(await response.json()).toEqual({
      launcherId: farmer.launcherId,
      harvesters: [
        {
          harvesterId: a!.data.harvesterId,
          firstSeenAt: a!.data.receivedAt,
          lastSeenAt: b!.data.receivedAt,
          partials: { submitted: 2, confirmed: 0, reverted: 0, last24h: 2 },
          points: { submitted: points.toString(), confirmed: '0', reverted: '0', last24h: points.toString() },
          // Seen for seconds when the ledger's clock stopped (at the second partial): its points over the shortest span.
          estimatedSpace: estimatedSpaceFromPoints(points, farmingSpanSeconds(a!.data.receivedAt, b!.data.receivedAt), MAINNET_SPACE_CONSTANTS).toString(),
          plotSizes: [pos.size],
          farmerVersion: '2.5.0',
          harvesterVersion: 'x'.repeat(PARTIAL_HEADER_MAX_LENGTH),
          userAgent: 'Chia Blockchain v.2.5.0',
          refused: { last24h: 0, lastRefusedAt: null },
        },
      ],
    });
  });

  it('answers 404 for a launcher the pool never saw and 400 for one that is not a launcher id, and documents the page', async () => {
    expect((await fetch(`${harness.poolUrl}/api/farmers/${'ab'.repeat(32)}/harvesters`)).status).toBe(404);
    expect((await fetch(`${harness.poolUrl}/api/farmers/nope/harvesters`)).status).toBe(400);
    const document = (await (await fetch(`${harness.poolUrl}/api/docs-json`)).json()) as { paths: Record<string, { get?: { responses: Record<string, unknown> } }> };
    expect(document.paths['/api/farmers/{launcherId}/harvesters']?.get?.responses).toHaveProperty('200');
  });
});
