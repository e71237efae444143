import { type BrowserContext, type Page } from 'playwright-core';
import { describeWithBrowser, openHeadlessChromium, OVERFLOW_CHECK, type HeadlessBrowser } from '../browser/headless-chromium';
import { farmerStream, type PayoutPlanned } from '@pool/domain';
import { LOGIN_COOKIE } from '@pool/api';
import { DEFAULT_NOTIFICATION_SETTINGS } from '@pool/config';
import { createNotifier, type WorkerNotifier } from '@pool/worker';
import { expectLedgerAudits, runPoolctl, TestSmtpServer, WebhookReceiver } from '../support';
import { FarmerAreaCycle } from '../browser/farmer-area-cycle';

const XCH = 10n ** 12n;

const NAME = "Tom & Jerry's farm";

/**
 * The farmer area in headless chromium on a phone-wide screen (390 px), against a devnet pool: the farmer opens the
 * login link `poolctl devnet login-link` prints, reaches its settings, sets a name, a minimum payout above what it
 * earns in a round and a webhook target; the next payout carries its balance instead of paying it (and the ledger
 * audits); the leaderboard shows the name as text; the farmer ends its session and is refused from then on.
 */
describeWithBrowser('farmer area e2e')('farmer area in headless chromium against the devnet pool', () => {
  const cycle = new FarmerAreaCycle();
  const { harness } = cycle;
  const receiver = new WebhookReceiver();
  const smtp = new TestSmtpServer();
  /** The worker's notifier, as pool-loops builds it, sending e-mail through the test's SMTP server. */
  let worker: WorkerNotifier;
  const notifier = (): WorkerNotifier =>
    createNotifier({
      store: harness.store,
      readModels: harness.readModels,
      config: { ...harness.config, notifications: { ...DEFAULT_NOTIFICATION_SETTINGS, smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'pool@pool.test' } } },
      now: harness.now,
      logger: { log: () => undefined, warn: () => undefined },
    })!;
  let browser: HeadlessBrowser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  const plans = async (): Promise<PayoutPlanned['data'][]> => (await harness.store.readAll({ filter: { types: ['PayoutPlanned'] } })).map((e) => e.data as PayoutPlanned['data']);
  const overflow = (): Promise<string[]> => page.evaluate(OVERFLOW_CHECK);

  beforeAll(async () => {
    // The worker refuses webhooks at local addresses unless told (the receiver here is one).
    process.env.POOL_NOTIFICATIONS_ALLOW_LOCAL_URLS = 'true';
    await receiver.start();
    await smtp.start();
    await cycle.start();
    worker = notifier();
    browser = await openHeadlessChromium({ width: 390, height: 844 });
    ({ context, page, pageErrors } = browser);
  });
  afterAll(async () => {
    await browser?.close();
    await cycle.stop();
    await receiver.stop();
    await smtp.stop();
    delete process.env.POOL_NOTIFICATIONS_ALLOW_LOCAL_URLS;
  });

  it("pays farmer a at the pool's minimum before it sets its own", async () => {
    await cycle.round();
    const [first] = await plans();
    expect(first!.allocations.map((a) => a.launcherId).sort()).toEqual(cycle.farmers.map((f) => f.launcherId).sort());
    // The worker's notifier follows the ledger as it grows: this payout was read before any target existed.
    await worker.notifier.round();
  });

  it('opens the login link poolctl prints, and sets a name, a minimum payout and a webhook, at 390 px', async () => {
    const farmer = cycle.farmers[0]!;
    const { lines, exitCode } = await runPoolctl(['--event-store', harness.eventStoreUrl, 'devnet', 'login-link', farmer.launcherId, '--pool-url', harness.poolUrl, '--at', String(harness.now())]);
    expect(exitCode).toBe(0);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^${harness.poolUrl}/login\\?launcher_id=${farmer.launcherId}&authentication_token=\\d+&signature=[0-9a-f]{192}$`))]);

    await page.goto(lines[0]!);
    await page.waitForURL('**/dashboard/account');
    await page.locator('#settings-form').waitFor();
    expect(await page.locator('#area-launcher').innerText()).toBe(farmer.launcherId);
    expect(await overflow()).toEqual([]);

    await page.fill('#setting-name', NAME);
    await page.fill('#setting-minimum', '5');
    await page.click('#settings-save');
    await page.locator('#settings-saved').waitFor();
    expect(await page.inputValue('#setting-minimum')).toBe('5');
    expect(await page.locator('h1').innerText()).toBe(`${NAME}: your farmer area`);
    const facts = (await harness.store.readStream(farmerStream(farmer.launcherId))).map((e) => e.type);
    expect(facts.slice(-2)).toEqual(['FarmerDisplayNameSet', 'FarmerMinimumPayoutSet']);

    // An amount that is not one of XCH is explained, not sent.
    await page.fill('#setting-minimum', 'a lot');
    await page.click('#settings-save');
    await expect(page.locator('#settings-error').innerText()).resolves.toMatch(/in XCH/);

    await page.selectOption('#target-kind', 'webhook');
    await page.fill('#target-address', `${receiver.url}/farmer-a`);
    await page.click('#target-add');
    await page.locator('#target-secret').waitFor();
    expect(await page.locator('#target-secret').innerText()).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.locator('#notification-targets li[data-kind="webhook"]').innerText()).toContain(`${receiver.url}/farmer-a`);
    expect(await overflow()).toEqual([]);
    // To look at it: POOL_FARMER_AREA_SCREENSHOT=/some/where.png
    if (process.env.POOL_FARMER_AREA_SCREENSHOT) await page.screenshot({ path: process.env.POOL_FARMER_AREA_SCREENSHOT, fullPage: true });
    // Nothing private reached the public ledger.
    expect(JSON.stringify((await harness.store.readAll()).map((e) => e.data))).not.toContain('/farmer-a');
    expect(pageErrors).toEqual([]);
  });

  it('carries farmer a in the next payout, below its own minimum, and the ledger still audits', async () => {
    const farmer = cycle.farmers[0]!;
    await cycle.round();
    const next = (await plans())[1]!;
    expect(next.allocations.map((a) => a.launcherId)).toEqual([cycle.farmers[1]!.launcherId]);
    const carried = next.carried.find((c) => c.launcherId === farmer.launcherId);
    expect(BigInt(carried!.amount)).toBeGreaterThan(0n);
    expect(BigInt(carried!.amount)).toBeLessThan(5n * XCH);
    await expectLedgerAudits(harness.store);
    // Nothing paid to farmer a: nothing to tell it.
    await worker.notifier.round();
    expect(receiver.posts.filter((p) => p.json.kind === 'payout-sent')).toEqual([]);

    // The leaderboard shows the name as text, never as markup.
    await page.goto(`${harness.poolUrl}/dashboard/leaderboard`);
    const row = page.locator(`#leaderboard-table tr[data-launcher="${farmer.launcherId}"]`);
    await row.waitFor();
    await expect(row.innerText()).resolves.toContain(NAME);
    expect(await row.innerHTML()).toContain('Tom &amp; Jerry');
    expect(await overflow()).toEqual([]);
  });

  it("tells farmer a's webhook of its payout once, e-mails it, and tells every target of a changed payout address", async () => {
    const farmer = cycle.farmers[0]!;
    await page.goto(`${harness.poolUrl}/dashboard/account`);
    await page.locator('#target-form').waitFor();
    await page.selectOption('#target-kind', 'email');
    await page.fill('#target-address', 'farmer-a@pool.test');
    await page.click('#target-add');
    await page.locator('#target-added').waitFor();
    // Back to the pool's minimum (a setting changes at most once a minute): the next payout pays farmer a.
    harness.chain.advance(61_000);
    await page.fill('#setting-minimum', '');
    await page.click('#settings-save');
    await page.locator('#settings-saved').waitFor();
    await cycle.round();
    expect((await plans())[2]!.allocations.map((a) => a.launcherId)).toContain(farmer.launcherId);

    await worker.notifier.round();
    // Again, and from a restarted worker: nothing is sent twice.
    await worker.notifier.round();
    await notifier().notifier.round();
    const sent = receiver.posts.filter((p) => p.path === '/farmer-a' && p.json.kind === 'payout-sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.json).toMatchObject({ launcherId: farmer.launcherId, data: expect.objectContaining({ payoutId: 'payout-00000003' }) });
    const mails = smtp.mails.filter((m) => m.to.includes('farmer-a@pool.test'));
    expect(mails.filter((m) => /payout-00000003/.test(m.raw) && /sent/i.test(m.raw)).length).toBeGreaterThanOrEqual(1);

    // Someone changes where farmer a's money goes: every target hears of it, whatever it chose.
    expect((await farmer.updateFarmer({ payoutInstructions: 'cd'.repeat(32) })).error_code).toBeUndefined();
    await worker.notifier.round();
    expect(receiver.posts.filter((p) => p.path === '/farmer-a' && p.json.kind === 'payout-address-changed')).toHaveLength(1);
    expect(smtp.mails.filter((m) => m.to.includes('farmer-a@pool.test') && /payout address/i.test(m.raw))).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  it('ends the session: the page says so and every later request with its cookie is refused', async () => {
    await page.goto(`${harness.poolUrl}/dashboard/account`);
    await page.locator('#sessions li.current').waitFor();
    const cookie = (await context.cookies(harness.poolUrl)).find((c) => c.name === LOGIN_COOKIE)!;
    await page.click('#end-session');
    await page.locator('#area-logged-out').waitFor();
    const refused = await fetch(`${harness.poolUrl}/api/farmer-area`, { headers: { cookie: `${LOGIN_COOKIE}=${cookie.value}` } });
    expect(refused.status).toBe(401);
    await page.reload();
    await page.locator('#area-logged-out').waitFor();
    expect(await overflow()).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
