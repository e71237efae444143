import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { describeWithBrowser, openHeadlessChromium, OVERFLOW_CHECK, type HeadlessBrowser } from '../browser/headless-chromium';
import { PoolCycle } from '../browser/pool-cycle';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The dashboard in a real headless browser (Debian's chromium driven by playwright-core) against a devnet pool that
 * went round the whole cycle: a farmer follows its GET /login link, lands on its farmer page, and every figure and
 * chart there agrees with the read API; the overview, payouts and leaderboard pages show the same ledger. A
 * screenshot of the farmer page is taken and checked to be a real PNG.
 */
describeWithBrowser('dashboard e2e')('dashboard in headless chromium against the devnet pool', () => {
  // A block explorer of our own naming, so that the links to coins and transactions can be checked.
  const EXPLORER = { explorerCoinUrl: 'https://explorer.test/coin/{coin}', explorerTransactionUrl: 'https://explorer.test/tx/{transaction}' };
  const cycle = new PoolCycle('dashboard', EXPLORER);
  const { harness } = cycle;
  let shots: string;
  let browser: HeadlessBrowser;
  let page: Page;
  let pageErrors: string[];

  const api = async <T = Record<string, any>>(path: string): Promise<T> => (await (await fetch(`${harness.poolUrl}${path}`)).json()) as T; // eslint-disable-line @typescript-eslint/no-explicit-any
  const field = (name: string): Promise<string | null> => page.locator(`[data-field="${name}"]`).getAttribute('data-value');
  const digits = async (name: string): Promise<string> => ((await page.locator(`[data-field="${name}"]`).innerText()).split('\n')[0] ?? '').replace(/[^\d]/g, '');

  beforeAll(async () => {
    await cycle.start();
    await cycle.run();
    shots = mkdtempSync(join(tmpdir(), 'pool-dashboard-shots-'));
    browser = await openHeadlessChromium({ width: 1280, height: 900 });
    ({ page, pageErrors } = browser);
  });
  afterAll(async () => {
    await browser?.close();
    await cycle.stop();
    if (shots) rmSync(shots, { recursive: true, force: true });
  });

  it("follows the farmer's login link to its page, where every figure matches the API, and screenshots it", async () => {
    const farmer = cycle.farmers[0]!;
    // The login link opens the farmer's own area (or, before it, the farmer's page); the public page is one link on.
    await page.goto(`${harness.poolUrl}${farmer.loginPath()}`);
    await page.waitForURL(/\/dashboard\/(account|farmer\/[0-9a-f]{64})/);
    await page.goto(`${harness.poolUrl}/dashboard/farmer/${farmer.launcherId}`);
    await page.locator('#farmer-figures [data-field="difficulty"]').waitFor();

    const expected = await api(`/api/farmers/${farmer.launcherId}`);
    expect(await page.locator('#farmer-id').innerText()).toBe(farmer.launcherId);
    const shown = {
      difficulty: await field('difficulty'),
      pendingPoints: await field('pendingPoints'),
      confirmedPoints: await field('confirmedPoints'),
      windowPoints: await field('windowPoints'),
      points24h: await field('points24h'),
      estimatedSpace: await field('estimatedSpace'),
      paid: await field('paid'),
      inFlight: await field('inFlight'),
      carried: await field('carried'),
    };
    expect(shown).toEqual({
      difficulty: expected.difficulty,
      pendingPoints: expected.points.pending,
      confirmedPoints: expected.points.confirmed,
      windowPoints: expected.points.inWindow,
      points24h: expected.points.last24h,
      estimatedSpace: expected.estimatedSpace,
      paid: expected.balance.paid,
      inFlight: expected.balance.inFlight,
      carried: expected.balance.carried,
    });
    // The text a farmer reads is the same number (thousands separators aside).
    expect(await digits('confirmedPoints')).toBe(expected.points.confirmed);
    expect(await digits('pendingPoints')).toBe(expected.points.pending);
    expect(BigInt(expected.balance.paid)).toBeGreaterThan(0n);
    expect(await page.locator('[data-field="paid"]').innerText()).toMatch(/XCH/);
    // XCH at six decimals at most, every mojo in the tooltip.
    expect(await page.locator('[data-field="paid"] .figure').innerText()).toMatch(/^[\d,]+(\.\d{1,6})? XCH$/);
    expect(await page.locator('[data-field="paid"] .amount').getAttribute('data-mojos')).toBe(expected.balance.paid);
    // The farmer's rank, as the leaderboard ranks it.
    expect(await field('rank')).toBe(String(expected.rank.position));
    const board = await api<{ items: { launcherId: string; rank: number }[] }>('/api/leaderboard?limit=50');
    expect(board.items.find((x) => x.launcherId === farmer.launcherId)?.rank).toBe(expected.rank.position);

    // Charts: one line per series, one bar per non-empty hour and result.
    const timeline = await api<{ buckets: { partials: { confirmed: number; reverted: number } }[] }>(`/api/farmers/${farmer.launcherId}/timeline`);
    expect(await page.locator('#farmer-charts svg path[data-series="confirmed"]').count()).toBe(1);
    const bars = timeline.buckets.filter((x) => x.partials.confirmed > 0).length;
    expect(await page.locator('#farmer-charts svg rect[data-series="confirmed"]').count()).toBe(bars);
    expect(bars).toBeGreaterThan(0);

    // Partials by result, the revert explained; payout history; recent partials.
    const reverted = page.locator('#partials-by-result tr[data-result="reverted:reorg"]');
    await expect(reverted.innerText()).resolves.toMatch(/chain reorganisation/);
    expect(await page.locator('#payout-history tbody tr').count()).toBe(expected.payoutHistory.length);
    // Each payout line with its coin and transactions, linked to the configured explorer.
    const line = expected.payoutHistory.find((x: { coinId: string | null }) => x.coinId !== null);
    const row = page.locator(`#payout-history tr[data-payout="${line.payoutId}"]`);
    expect(await row.locator(`a[href="https://explorer.test/coin/${line.coinId}"]`).count()).toBe(1);
    expect(await row.locator(`a[href="https://explorer.test/tx/${line.transactionIds[0]}"]`).count()).toBe(1);
    expect(await row.locator(`button[data-copy="${line.coinId}"]`).count()).toBe(1);
    // Charts with real axes: time ticks along the bottom, value ticks up the side, each axis labelled.
    expect(await page.locator('#farmer-charts svg').first().locator('text[data-axis="x"]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#farmer-charts svg').first().locator('text[data-axis="y"]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#farmer-charts svg').first().locator('text.unit').allTextContents()).toEqual(['time (UTC)', 'points / hour']);
    const recent = await api<{ items: unknown[] }>(`/api/farmers/${farmer.launcherId}/partials?limit=25`);
    expect(await page.locator('#recent-partials tbody tr').count()).toBe(recent.items.length);

    // Harvesters: one row per harvester the API lists (the id signed into its partials), with its space estimate.
    const { harvesters } = await api<{ harvesters: { harvesterId: string; estimatedSpace: string; partials: { submitted: number } }[] }>(`/api/farmers/${farmer.launcherId}/harvesters`);
    expect(harvesters.length).toBeGreaterThan(0);
    const rows = page.locator('#harvesters-table tbody tr[data-harvester]');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-harvester')))).toEqual(harvesters.map((x) => x.harvesterId));
    const first = rows.first();
    expect(await first.locator('td[data-value]').getAttribute('data-value')).toBe(harvesters[0]!.estimatedSpace);
    await expect(first.innerText()).resolves.toContain(String(harvesters[0]!.partials.submitted));

    const file = join(shots, 'farmer.png');
    await page.screenshot({ path: file, fullPage: true });
    const png = readFileSync(file);
    // To look at it (or keep it as a reference image): POOL_DASHBOARD_SCREENSHOT=/some/where.png
    if (process.env.POOL_DASHBOARD_SCREENSHOT) copyFileSync(file, process.env.POOL_DASHBOARD_SCREENSHOT);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // IHDR: width and height of the full page, and far more bytes than a blank page compresses to.
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBeGreaterThan(900);
    expect(png.length).toBeGreaterThan(40_000);
    expect(pageErrors).toEqual([]);
  });

  it("checks a farmer's payout line in the browser from the proof the pool serves, and says so when the proof is wrong", async () => {
    const farmer = cycle.farmers[0]!;
    const { payoutHistory } = await api<{ payoutHistory: { payoutId: string; transactionIds: string[] }[] }>(`/api/farmers/${farmer.launcherId}`);
    const paid = payoutHistory.find((x) => x.transactionIds.length > 0)!;
    await page.goto(`${harness.poolUrl}/dashboard/farmer/${farmer.launcherId}`);
    await page.locator(`#payout-history tr[data-payout="${paid.payoutId}"] a[data-verify]`).click();
    await page.waitForURL(`**/dashboard/verify/${paid.payoutId}/${farmer.launcherId}`);
    await page.locator('#verify-result').waitFor();
    const proof = await api<{ commitment: { allocationsRoot: string }; versions: { memoCoinId: string }[] }>(`/api/farmers/${farmer.launcherId}/payouts/${paid.payoutId}/proof`);
    expect(await page.locator('#verify-result').getAttribute('data-ok')).toBe('true');
    expect(await page.locator('#verify-checks tr[data-check] .status').allInnerTexts()).toEqual(['ok', 'ok', 'ok']);
    await expect(page.locator('#verify-checks tr[data-check="root"]').innerText()).resolves.toContain(proof.commitment.allocationsRoot);
    await expect(page.locator('#memo-coin').innerText()).resolves.toBe(proof.versions[0]!.memoCoinId);

    // A pool that served one mojo more than the line it committed to: the browser's own hashing does not reach the root.
    await page.route('**/proof', async (route) => {
      const body = (await (await route.fetch()).json()) as { allocation: { amount: string } };
      body.allocation.amount = String(BigInt(body.allocation.amount) + 1n);
      await route.fulfill({ json: body });
    });
    await page.reload();
    await page.locator('#verify-result').waitFor();
    expect(await page.locator('#verify-result').getAttribute('data-ok')).toBe('false');
    expect(await page.locator('#verify-checks tr[data-check] .status').allInnerTexts()).toEqual(['failed', 'failed', 'ok']);
    await page.unroute('**/proof');

    // The page that explains it, step by step, with the commands.
    await page.locator('nav a[href="/dashboard/verify"]').click();
    await expect(page.locator('#verify-steps').innerText()).resolves.toMatch(/poolctl verify-payout payout-00000001 --farmer <your launcher id> --pool-url/);
    expect(pageErrors).toEqual([]);
  });

  it('shows the pool overview, payouts with their lines and the leaderboard from the same API', async () => {
    await page.goto(`${harness.poolUrl}/dashboard`);
    await page.locator('#pool-stats [data-field="estimatedSpace"]').waitFor();
    const stats = await api('/api/pool/stats');
    expect({
      estimatedSpace: await field('estimatedSpace'),
      farmers: await field('farmers'),
      pointsPerHour: await field('pointsPerHour'),
      effort: await field('effort'),
      blocksWon: await field('blocksWon'),
      paid: await field('paid'),
    }).toEqual({
      estimatedSpace: stats.estimatedSpace,
      farmers: String(stats.farmers.members),
      pointsPerHour: stats.points.perHour,
      effort: stats.effort.percent,
      blocksWon: String(stats.blocks.won),
      paid: stats.payouts.paidToFarmers,
    });
    expect(await page.locator('#blocks-table tbody tr').count()).toBe(1);
    // The block's effort and luck, as the API computes them.
    const blocks = await api<{ items: { coinId: string; effort: { percent: string | null; luckPercent: string | null; points: string | null } }[] }>('/api/blocks');
    const block = blocks.items[0]!;
    expect(block.effort.percent).toMatch(/^\d+\.\d\d$/);
    expect(BigInt(block.effort.points!)).toBeGreaterThan(0n);
    const effortShown = await page.locator(`#blocks-table tr[data-coin="${block.coinId}"] td[data-effort]`).innerText();
    expect(effortShown).toMatch(/^[\d,.]+ %$/);
    expect(Number(effortShown.replace(/[ ,%]/g, ''))).toBe(Number(block.effort.percent));
    expect(await page.locator(`#blocks-table tr[data-coin="${block.coinId}"] a[href="https://explorer.test/coin/${block.coinId}"]`).count()).toBe(1);

    // Client-side navigation: the payouts page, then one payout at its own URL with its lines.
    await page.locator('nav a[href="/dashboard/payouts"]').click();
    await page.waitForURL('**/dashboard/payouts');
    const payouts = await api<{ items: { payoutId: string }[] }>('/api/payouts');
    const payoutId = payouts.items[0]!.payoutId;
    await page.locator(`#payouts-table tr[data-payout="${payoutId}"] td[data-label="status"]`).click();
    await page.waitForURL(`**/dashboard/payouts/${payoutId}`);
    const detail = await api<{ lines: { coinId: string | null }[]; transactions: { transactionId: string }[]; allocatedTotal: string }>(`/api/payouts/${payoutId}`);
    await page.locator('#payout-lines tbody tr').first().waitFor();
    expect(await page.locator('#payout-lines tbody tr').count()).toBe(detail.lines.length);
    expect(await page.locator('[data-field="allocatedTotal"]').getAttribute('data-value')).toBe(detail.allocatedTotal);
    expect(await page.locator('#payout-transactions li').evaluateAll((items) => items.map((li) => li.getAttribute('data-transaction')))).toEqual(detail.transactions.map((t) => t.transactionId));
    for (const l of detail.lines) expect(await page.locator(`#payout-lines a[href="https://explorer.test/coin/${l.coinId}"]`).count()).toBe(1);
    // The same page opened from its URL (a bookmark, a link in a notification).
    await page.goto(`${harness.poolUrl}/dashboard/payouts/${payoutId}`);
    await page.locator('#payout-lines tbody tr').first().waitFor();
    expect(await page.locator('#payout-lines tbody tr').count()).toBe(detail.lines.length);

    await page.locator('nav a[href="/dashboard/leaderboard"]').click();
    await page.locator('#leaderboard-table tbody tr[data-launcher]').first().waitFor();
    const board = await api<{ items: { launcherId: string }[] }>('/api/leaderboard?limit=50');
    expect(await page.locator('#leaderboard-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-launcher')))).toEqual(
      board.items.map((x) => x.launcherId),
    );

    // The lookup box leads to a farmer's page; an unknown launcher says so instead of failing.
    await page.locator('#lookup-id').fill('ab'.repeat(32));
    await page.locator('#lookup button').click();
    await expect(page.locator('#farmer-missing').innerText()).resolves.toMatch(/no farmer with launcher id/);
    if (process.env.POOL_DASHBOARD_SCREENSHOT) {
      await page.goto(`${harness.poolUrl}/dashboard`);
      await page.locator('#pool-stats [data-field="estimatedSpace"]').waitFor();
      await page.screenshot({ path: process.env.POOL_DASHBOARD_SCREENSHOT.replace(/\.png$/, '-overview.png'), fullPage: true });
    }
    expect(pageErrors).toEqual([]);
  });

  it('fits every page at 1280 and at 390 px: nothing scrolls sideways or is cut off, and each page shows its content', async () => {
    const [a, b] = cycle.farmers;
    const { payoutHistory } = await api<{ payoutHistory: { payoutId: string; transactionIds: string[] }[] }>(`/api/farmers/${a!.launcherId}`);
    const paid = payoutHistory.find((x) => x.transactionIds.length > 0)!;
    // Each page and what shows that it rendered its content (not an error or a blank).
    const pages: [string, string][] = [
      ['/', '#join-steps'],
      ['/dashboard', '#pool-stats [data-field="paid"]'],
      ['/dashboard/blocks', '#blocks-table tbody tr[data-coin]'],
      ['/dashboard/payouts', '#payouts-table tbody tr[data-payout]'],
      [`/dashboard/payouts/${paid.payoutId}`, '#payout-lines tbody tr[data-launcher]'],
      ['/dashboard/leaderboard', '#leaderboard-table tbody tr[data-launcher]'],
      [`/dashboard/farmer/${a!.launcherId}`, '#harvesters-table tbody tr[data-harvester]'],
      [`/dashboard/farmer/${b!.launcherId}`, '#payout-history tbody tr[data-payout]'],
      [`/dashboard/farmer/${'cd'.repeat(32)}`, '#farmer-missing'],
      ['/dashboard/verify', '#verify-steps'],
      [`/dashboard/verify/${paid.payoutId}/${a!.launcherId}`, '#verify-result[data-ok="true"]'],
      ['/dashboard/no/such/page', '#not-found'],
      // The farmer area, with the session the first test's login link opened in this browser.
      ['/dashboard/account', '#view[aria-busy="false"] h1'],
    ];
    const keep = process.env.POOL_DASHBOARD_SHOTS; // a folder to look at every page in (optional)
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(viewport);
      for (const [path, ready] of pages) {
        await page.goto(`${harness.poolUrl}${path}`);
        await page.locator(ready).first().waitFor();
        if (path !== '/') await page.locator('#view[aria-busy="false"]').waitFor({ state: 'attached' });
        const problems = (await page.evaluate(OVERFLOW_CHECK)) as string[];
        expect({ path, width: viewport.width, problems }).toEqual({ path, width: viewport.width, problems: [] });
        expect(await page.locator('text=Something went wrong').count()).toBe(0);
        if (keep) await page.screenshot({ path: join(keep, `${viewport.width}${path.replace(/[^a-z0-9]+/gi, '_').slice(0, 60)}.png`), fullPage: true });
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(pageErrors).toEqual([]);
  });

  it('says "no data yet" where a list or a chart has nothing, and "not found" for a path it does not know', async () => {
    const farmer = cycle.farmers[0]!;
    // A farmer with no harvester ids and no hourly points yet, as a newcomer's page looks.
    await page.route(`**/api/farmers/${farmer.launcherId}/harvesters`, (route) => route.fulfill({ json: { launcherId: farmer.launcherId, harvesters: [] } }));
    await page.route(`**/api/farmers/${farmer.launcherId}/timeline**`, (route) => route.fulfill({ json: { launcherId: farmer.launcherId, resolution: 'hour', buckets: [] } }));
    await page.goto(`${harness.poolUrl}/dashboard/farmer/${farmer.launcherId}`);
    await page.locator('#harvesters-table').waitFor();
    expect(await page.locator('#harvesters-table tbody').innerText()).toBe('no data yet');
    expect(await page.locator('#farmer-charts .empty').allInnerTexts()).toEqual(['no data yet', 'no data yet']);
    expect(await page.locator('#farmer-charts svg').count()).toBe(0);
    await page.unrouteAll();

    await page.goto(`${harness.poolUrl}/dashboard/blocks/nothing-here`);
    await expect(page.locator('#not-found').innerText()).resolves.toBe('Not found');
    await expect(page.locator('#view').innerText()).resolves.toContain('/dashboard/blocks/nothing-here');
    expect(pageErrors).toEqual([]);
  });

  it('redraws the farmer page by itself as the pool goes on', async () => {
    const farmer = cycle.farmers[0]!;
    await page.goto(`${harness.poolUrl}/dashboard/farmer/${farmer.launcherId}`);
    await page.locator('[data-field="pendingPoints"]').waitFor();
    const before = await field('pendingPoints');
    await cycle.morePartials(4);
    const after = (await api(`/api/farmers/${farmer.launcherId}`)).points.pending as string;
    expect(BigInt(after)).toBeGreaterThan(BigInt(before!));
    // No reload: the page's own refresh (every 15 s) picks the new figures up.
    await page.locator(`[data-field="pendingPoints"][data-value="${after}"]`).waitFor({ timeout: 25_000 });
    expect(pageErrors).toEqual([]);
  });

  it("renders Swagger UI at /api/docs with the read API's operations", async () => {
    await page.goto(`${harness.poolUrl}/api/docs`);
    await page.locator('.opblock-summary-path').first().waitFor();
    const paths = await page.locator('.opblock-summary-path').allInnerTexts();
    expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(expect.arrayContaining(['/api/pool/stats', '/api/farmers/{launcherId}', '/api/leaderboard']));
  });
});
