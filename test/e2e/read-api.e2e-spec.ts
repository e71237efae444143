import { farmerStatement, type PartialEvent, type PayoutEvent, type RewardEvent } from '@pool/domain';
import { buildProgram } from '@pool/poolctl';
import { PoolCycle } from '../browser/pool-cycle';

type Submitted = Extract<PartialEvent, { type: 'PartialSubmitted' }>['data'];
type Planned = Extract<PayoutEvent, { type: 'PayoutPlanned' }>['data'];
type Page = { items: Record<string, unknown>[]; limit: number; nextCursor: string | null };

/**
 * The read API against a devnet pool that went round the whole cycle (partials, confirms, a revert, a block won
 * and absorbed, a payout confirmed on chain), projected by the projector: each answer is checked against the
 * ledger itself, and paging, validation, 404s, the CSV export, the statement and the OpenAPI document are exercised.
 */
describe('read API against the devnet pool', () => {
  const cycle = new PoolCycle('read-api');
  const { harness } = cycle;
  let submitted: Submitted[];
  let plan: Planned;
  let a: string;
  let b: string;

  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown>; response: Response }> => {
    const response = await fetch(`${harness.poolUrl}${path}`, { headers: { accept: 'application/json' } });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { text };
    }
    return { status: response.status, body, response };
  };
  const json = async <T = Record<string, unknown>>(path: string): Promise<T> => {
    const { status, body } = await get(path);
    expect({ path, status }).toEqual({ path, status: 200 });
    return body as T;
  };
  const pointsOf = (items: { points: string }[]): bigint => items.reduce((sum, x) => sum + BigInt(x.points), 0n);

  beforeAll(async () => {
    await cycle.start();
    await cycle.run();
    submitted = (await harness.store.readAll({ filter: { types: ['PartialSubmitted'] } })).map((e) => e.data as Submitted);
    plan = (await harness.store.readAll({ filter: { types: ['PayoutPlanned'] } }))[0]!.data as Planned;
    a = cycle.farmers[0]!.launcherId;
    b = cycle.farmers[1]!.launcherId;
  });
  afterAll(() => cycle.stop());

  it('pool stats: farmers, points, blocks, payouts, fee and scheme from the projections; effort from the chain difficulty', async () => {
    const stats = await json<Record<string, any>>('/api/pool/stats'); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(stats.farmers).toEqual({ total: 2, members: 2, active24h: 2 });
    expect(stats.points.last24h).toBe(pointsOf(submitted).toString());
    const perHour = (pointsOf(submitted) * 100n) / 24n;
    expect(stats.points.perHour).toBe(`${perHour / 100n}.${(perHour % 100n).toString().padStart(2, '0')}`);
    expect(stats.fee).toEqual({ basisPoints: 100, fraction: '0.01' });
    expect(stats.payouts).toMatchObject({ scheme: 'prop', minimumPayout: '0', count: 1, paidToFarmers: plan.allocations.reduce((s, x) => s + BigInt(x.amount), 0n).toString() });
    expect(BigInt(stats.estimatedSpace)).toBeGreaterThan(0n);

    const reward = (await harness.store.readAll({ filter: { types: ['RewardDetected'] } }))[0]!.data as Extract<RewardEvent, { type: 'RewardDetected' }>['data'];
    expect(stats.blocks).toMatchObject({ won: 1, last: { coinId: reward.coinId, farmedHeight: reward.farmedHeight } });
    // Effort: points received after the block, over D * POOL_SUB_SLOT_ITERS / sub_slot_iters, from the node's figures.
    const since = pointsOf(submitted.filter((s) => s.receivedAt > reward.detectedAt));
    expect(since).toBeGreaterThan(0n);
    expect(stats.effort.pointsSinceLastBlock).toBe(since.toString());
    const chain = await harness.client.getBlockchainState();
    expect(stats.network).toMatchObject({ difficulty: chain.difficulty.toString(), subSlotIters: chain.subSlotIters.toString(), error: null });
    const hundredths = (since * 10_000n * chain.subSlotIters) / (chain.difficulty * harness.constants.poolSubSlotIters);
    expect(stats.effort.percent).toBe(`${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`);
    expect(stats.luck.percent).toMatch(/^\d+\.\d\d$/);
    expect(stats.effort.formula).toMatch(/POOL_SUB_SLOT_ITERS/);
  });

  it('blocks: the absorbed reward with its absorb transaction; status filter and bad parameters', async () => {
    const absorbed = (await harness.store.readAll({ filter: { types: ['RewardAbsorbed'] } })).map((e) => e.data as Extract<RewardEvent, { type: 'RewardAbsorbed' }>['data']);
    const page = await json<Page>('/api/blocks');
    expect(page.items).toEqual([
      expect.objectContaining({ coinId: absorbed[0]!.coinId, status: 'absorbed', amount: absorbed[0]!.amount, launcherId: a, absorbTransactionId: absorbed[0]!.absorbTransactionId }),
    ]);
    expect(page.nextCursor).toBeNull();
    expect((await json<Page>('/api/blocks?status=reverted')).items).toEqual([]);
    const bad = await get('/api/blocks?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ statusCode: 400, message: [expect.stringMatching(/status must be one of/)] });
    expect((await get('/api/blocks?limit=0')).status).toBe(400);
    expect((await get('/api/blocks?limit=501')).status).toBe(400);
    expect((await get('/api/blocks?limt=5')).body).toMatchObject({ statusCode: 400, message: ['property limt should not exist'] });
    expect((await get('/api/blocks?cursor=bm90LWEtY3Vyc29y')).body).toMatchObject({ statusCode: 400, message: expect.stringMatching(/cursor/) });
  });

  it('payouts: the list, one payout with its transactions and a line per farmer, and 404 / 400', async () => {
    const sent = (await harness.store.readAll({ filter: { types: ['PayoutSent'] } }))[0]!.data as Extract<PayoutEvent, { type: 'PayoutSent' }>['data'];
    const list = await json<Page>('/api/payouts');
    expect(list.items).toEqual([expect.objectContaining({ payoutId: plan.payoutId, sequence: 1, status: 'confirmed', scheme: 'prop', rewardTotal: plan.rewardTotal, poolFee: plan.poolFee.amount, recipients: 2 })]);
    const detail = await json<Record<string, any>>(`/api/payouts/${plan.payoutId}`); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(detail.transactions).toEqual(sent.transactionIds.map((transactionId) => ({ transactionId })));
    const expected = plan.allocations.map((x) => ({ launcherId: x.launcherId, points: x.points, amount: x.amount, status: 'confirmed' }));
    expect(detail.lines.map((l: Record<string, unknown>) => ({ launcherId: l.launcherId, points: l.points, amount: l.amount, status: l.status }))).toEqual(
      expect.arrayContaining(expected),
    );
    expect(detail.lines).toHaveLength(expected.length);
    expect(detail.lines.every((l: { coinId: string | null }) => /^[0-9a-f]{64}$/.test(String(l.coinId)))).toBe(true);
    expect((await get('/api/payouts/payout-99999999')).body).toEqual({ statusCode: 404, message: 'no payout payout-99999999', error: 'Not Found' });
    expect((await get('/api/payouts/bad!id')).status).toBe(400);
  });

  it('a farmer: difficulty, points pending / confirmed / in window, balance, payout history and partials by result in words', async () => {
    const farmer = await json<Record<string, any>>(`/api/farmers/0x${a.toUpperCase()}`); // eslint-disable-line @typescript-eslint/no-explicit-any
    const mine = submitted.filter((s) => s.launcherId === a);
    const confirmed = (await harness.store.readAll({ filter: { types: ['PartialConfirmed'] } })).map((e) => e.data as Submitted).filter((d) => d.launcherId === a);
    const afterPlan = mine.filter((s) => !confirmed.some((c) => c.proofHash === s.proofHash));
    const reverted = mine.find((s) => s.proofHash === cycle.revertedProofHash)!;
    const allocation = plan.allocations.find((x) => x.launcherId === a)!;
    expect(farmer).toMatchObject({ launcherId: a, membership: 'member', difficulty: '1', estimatedSpace: expect.stringMatching(/^[1-9]\d*$/) });
    expect(farmer.points).toEqual({
      pending: pointsOf(afterPlan).toString(),
      confirmed: (pointsOf(confirmed) - BigInt(reverted.points)).toString(),
      reverted: reverted.points,
      inWindow: '0', // the payout paid every confirmed point; the later partials are not confirmed yet
      last24h: pointsOf(mine).toString(),
    });
    expect(farmer.balance).toMatchObject({ paid: allocation.amount, inFlight: '0', carried: '0', lastPayoutSequence: 1 });
    expect(farmer.payoutHistory).toEqual([expect.objectContaining({ payoutId: plan.payoutId, amount: allocation.amount, points: allocation.points, status: 'confirmed' })]);
    expect(farmer.partials.byResult).toEqual(
      expect.arrayContaining([
        { status: 'reverted', reason: 'reorg', explanation: expect.stringMatching(/reorganisation/), count: 1, points: reverted.points },
        expect.objectContaining({ status: 'confirmed', count: confirmed.length - 1 }),
        expect.objectContaining({ status: 'submitted', count: afterPlan.length, explanation: expect.stringMatching(/waiting for the confirmation delay/) }),
      ]),
    );
    expect(farmer.partials.allTime).toMatchObject({ submitted: mine.length, confirmed: confirmed.length, reverted: 1 });
  });

  it("pages a farmer's partials with cursors: every partial once, newest first, and filters by status", async () => {
    const mine = submitted.filter((s) => s.launcherId === a);
    const seen: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await json<Page>(`/api/farmers/${a}/partials?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 50);
    expect(pages).toBe(Math.ceil(mine.length / 3));
    expect(new Set(seen.map((p) => p.proofHash)).size).toBe(mine.length);
    expect(seen.map((p) => p.proofHash).sort()).toEqual(mine.map((m) => m.proofHash).sort());
    const times = seen.map((p) => Number(p.receivedAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    const reverted = await json<Page>(`/api/farmers/${a}/partials?status=reverted`);
    expect(reverted.items).toEqual([expect.objectContaining({ proofHash: cycle.revertedProofHash, reason: 'reorg', wasConfirmed: true, forkHeight: 1 })]);
  });

  it('leaderboard: ranked by points in 24 h, page-numbered', async () => {
    const points = (id: string): bigint => pointsOf(submitted.filter((s) => s.launcherId === id));
    const [first, second] = points(a) >= points(b) ? [a, b] : [b, a];
    const board = await json<Record<string, any>>('/api/leaderboard'); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(board).toMatchObject({ sort: 'points_24h', page: 1, total: 2 });
    expect(board.items.map((x: { rank: number; launcherId: string; points24h: string }) => [x.rank, x.launcherId, x.points24h])).toEqual([
      [1, first, points(first).toString()],
      [2, second, points(second).toString()],
    ]);
    const page2 = await json<Record<string, any>>('/api/leaderboard?page=2&limit=1&sort=confirmed_points'); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0].rank).toBe(2);
    expect((await get('/api/leaderboard?sort=launcher_id; DROP TABLE rewards')).status).toBe(400);
  });

  it('404 for a launcher the pool never saw, 400 for one that is not a launcher id', async () => {
    const unknown = 'cd'.repeat(32);
    for (const path of ['', '/partials', '/statement', '/history.csv', '/timeline']) {
      const answer = await get(`/api/farmers/${unknown}${path}`);
      expect({ path, status: answer.status, code: answer.body.statusCode }).toEqual({ path, status: 404, code: 404 });
    }
    const bad = await get('/api/farmers/xyz');
    expect(bad.body).toEqual({ statusCode: 400, message: 'launcherId must be 32 bytes of hex (64 characters, 0x optional)', error: 'Bad Request' });
  });

  it('the statement is the one poolctl audit --farmer prints, from the same ledger', async () => {
    const statement = await json<Record<string, any>>(`/api/farmers/${a}/statement`); // eslint-disable-line @typescript-eslint/no-explicit-any
    const direct = await farmerStatement(await harness.store.readAll(), a);
    expect(statement.lines).toEqual(direct.lines);
    expect(statement.totals).toEqual(Object.fromEntries(Object.entries(direct.totals).map(([k, v]) => [k, v.toString()])));
    expect(statement.lines.map((l: { kind: string }) => l.kind)).toEqual(expect.arrayContaining(['credit', 'reversal', 'allocation', 'payment']));

    const output: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void output.push(line));
    try {
      await buildProgram().parseAsync(['node', 'poolctl', 'audit', '--farmer', a, '--store', `sqlite:${harness.store['options'].path}`]);
    } finally {
      log.mockRestore();
    }
    // Header, one line per statement line, then the totals.
    expect(output).toHaveLength(statement.lines.length + 2);
    expect(output.slice(1, -1).map((line) => line.split('\t')[0])).toEqual(statement.lines.map((l: { position: string }) => l.position));
    expect(output.at(-1)).toContain(`paid ${statement.totals.paid}`);
  });

  it("exports the farmer's history as CSV, one row per day, adding up to the ledger", async () => {
    const { response, body } = await get(`/api/farmers/${a}/history.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="farmer-${a}-history.csv"`);
    const [header, ...rows] = String(body.text).trimEnd().split('\r\n').map((line) => line.split(','));
    expect(header).toEqual(['date', 'partials_submitted', 'partials_confirmed', 'partials_reverted', 'points_submitted', 'points_confirmed', 'points_reverted', 'payouts', 'payout_points', 'allocated_mojos', 'paid_mojos']);
    const column = (name: string): bigint => rows.reduce((sum, row) => sum + BigInt(row[header!.indexOf(name)]!), 0n);
    const mine = submitted.filter((s) => s.launcherId === a);
    expect(rows.every((row) => /^\d{4}-\d\d-\d\d$/.test(row[0]!))).toBe(true);
    expect(column('partials_submitted')).toBe(BigInt(mine.length));
    expect(column('points_submitted')).toBe(pointsOf(mine));
    expect(column('partials_reverted')).toBe(1n);
    expect(column('paid_mojos')).toBe(BigInt(plan.allocations.find((x) => x.launcherId === a)!.amount));
  });

  it('the timeline and the pool hours add up to the partials received', async () => {
    const timeline = await json<{ buckets: { partials: { submitted: number } }[] }>(`/api/farmers/${b}/timeline`);
    expect(timeline.buckets.reduce((sum, x) => sum + x.partials.submitted, 0)).toBe(submitted.filter((s) => s.launcherId === b).length);
    const daily = await json<{ buckets: { partials: { submitted: number } }[] }>(`/api/farmers/${b}/timeline?resolution=day`);
    expect(daily.buckets.reduce((sum, x) => sum + x.partials.submitted, 0)).toBe(submitted.filter((s) => s.launcherId === b).length);
    const hourly = await json<{ hours: { partials: { submitted: number } }[] }>('/api/pool/hourly?hours=744');
    expect(hourly.hours.reduce((sum, x) => sum + x.partials.submitted, 0)).toBe(submitted.length);
  });

  it('serves the OpenAPI document at /api/docs-json and Swagger UI at /api/docs, read API routes only', async () => {
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, { parameters?: { name: string }[] }>>; components: { schemas: object } }>('/api/docs-json');
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/pool/stats', '/api/blocks', '/api/payouts', '/api/payouts/{payoutId}', '/api/farmers/{launcherId}', '/api/farmers/{launcherId}/partials', '/api/leaderboard', '/api/farmers/{launcherId}/statement', '/api/farmers/{launcherId}/history.csv']) {
      expect(doc.paths).toHaveProperty([path, 'get']);
    }
    expect(doc.paths['/api/blocks']!.get!.parameters!.map((p) => p.name).sort()).toEqual(['cursor', 'limit', 'status']);
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/'))).toBe(true);
    // Answers are described too: the farmer page's schema, referenced from its route.
    expect(JSON.stringify(doc.paths['/api/farmers/{launcherId}']!.get)).toContain('#/components/schemas/FarmerResponse');
    expect(doc.components.schemas).toHaveProperty(['PartialResultResponse', 'properties', 'explanation']);
    expect(doc.components.schemas).toHaveProperty(['PoolStatsResponse', 'properties', 'effort']);
    const ui = await fetch(`${harness.poolUrl}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger-ui/i);
  });

  it('serves the dashboard: the page for every dashboard path, its scripts, and a plain 404 for a missing file', async () => {
    for (const path of ['/dashboard', '/dashboard/', `/dashboard/farmer/${a}`, '/dashboard/leaderboard', '/dashboard/farmer/']) {
      const page = await fetch(`${harness.poolUrl}${path}`);
      expect({ path, status: page.status, type: page.headers.get('content-type') }).toEqual({ path, status: 200, type: 'text/html; charset=utf-8' });
      expect(await page.text()).toContain('/dashboard/static/app.js');
    }
    const script = await fetch(`${harness.poolUrl}/dashboard/static/app.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain("api('/api/pool/stats')");
    const missing = await get('/dashboard/static/nothing-here.js');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404 });
  });
});
