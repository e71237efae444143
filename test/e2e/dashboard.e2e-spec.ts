import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PoolCycle } from '../browser/pool-cycle';

const CHROMIUM = '/usr/bin/chromium';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Outside CI a machine without Debian's chromium skips the browser test and says why; under CI=true it must run. */
function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.CI === 'true') return undefined; // let the launch fail loudly: .ci/run installs chromium
  return `${CHROMIUM} is missing (apt-get install chromium); CI installs it and runs this test`;
}

const reason = browserSkipReason();
if (reason) console.warn(`[browser] dashboard e2e skipped: ${reason}`);
const describeWithBrowser = reason ? describe.skip : describe;

/**
 * The dashboard in a real headless browser (Debian's chromium driven by playwright-core) against a devnet pool that
 * went round the whole cycle: a farmer follows its GET /login link, lands on its farmer page, and every figure and
 * chart there agrees with the read API; the overview, payouts and leaderboard pages show the same ledger. A
 * screenshot of the farmer page is taken and checked to be a real PNG.
 */
describeWithBrowser('dashboard in headless chromium against the devnet pool', () => {
  const cycle = new PoolCycle('dashboard');
  const { harness } = cycle;
  let profile: string;
  let shots: string;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const api = async <T = Record<string, any>>(path: string): Promise<T> => (await (await fetch(`${harness.poolUrl}${path}`)).json()) as T; // eslint-disable-line @typescript-eslint/no-explicit-any
  const field = (name: string): Promise<string | null> => page.locator(`[data-field="${name}"]`).getAttribute('data-value');
  const digits = async (name: string): Promise<string> => ((await page.locator(`[data-field="${name}"]`).innerText()).split('\n')[0] ?? '').replace(/[^\d]/g, '');

  beforeAll(async () => {
    await cycle.start();
    await cycle.run();
    profile = mkdtempSync(join(tmpdir(), 'pool-chromium-profile-'));
    shots = mkdtempSync(join(tmpdir(), 'pool-dashboard-shots-'));
    // A persistent context is how playwright takes a fresh --user-data-dir of our own.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The dashboard is served with a Content-Security-Policy (dashboard.static.ts): anything it blocks is a failure.
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
  });
  afterAll(async () => {
    await context?.close();
    await cycle.stop();
    for (const dir of [profile, shots]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("follows the farmer's login link to its page, where every figure matches the API, and screenshots it", async () => {
    const farmer = cycle.farmers[0]!;
    await page.goto(`${harness.poolUrl}${farmer.loginPath()}`);
    await page.waitForURL(`**/dashboard/farmer/${farmer.launcherId}`);
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
    await page.locator(`#payout-history tr[data-payout="${paid.payoutId}"] a`).click();
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

    // Client-side navigation: the payouts page, then one payout's lines.
    await page.locator('nav a[href="/dashboard/payouts"]').click();
    await page.waitForURL('**/dashboard/payouts');
    const payouts = await api<{ items: { payoutId: string }[] }>('/api/payouts');
    await page.locator(`#payouts-table tr[data-payout="${payouts.items[0]!.payoutId}"]`).click();
    const detail = await api<{ lines: unknown[] }>(`/api/payouts/${payouts.items[0]!.payoutId}`);
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
