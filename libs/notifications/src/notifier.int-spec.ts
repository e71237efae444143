import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { payoutStream, type PoolEvent } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { describeWithPostgres, dropSchema, FARMER_A, FARMER_B, FARMER_C, plannedEvent, TestSmtpServer, testSchema, WebhookReceiver, type ReceivedPost } from '@pool/testing';
import { NotificationTargets, Notifier, Transports, webhookSignature, type NotificationKind, type NotificationTarget } from '@pool/notifications';

const SETTINGS = { offlineAfterSeconds: 3600, pauseAfterFailures: 3, retryBaseSeconds: 30, retryMaxSeconds: 600, maxAgeSeconds: 86_400 };
const T0 = 1_700_000_000;
const TX = 'ab'.repeat(32);
const TELEGRAM = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';

function suite(dialect: string, openUrl: () => Promise<{ url: string; cleanup(): Promise<void> }>): void {
  describe(`notifier on ${dialect}`, () => {
    let receiver: WebhookReceiver;
    let smtp: TestSmtpServer;
    let url: string;
    let cleanup: () => Promise<void>;
    let db: ReadModelDatabase;
    let store: InMemoryEventStore;
    let targets: NotificationTargets;
    let clock: number;
    const opened: ReadModelDatabase[] = [];

    beforeAll(async () => {
      receiver = await new WebhookReceiver().start();
      smtp = await new TestSmtpServer().start();
    });
    afterAll(async () => {
      await receiver.stop();
      await smtp.stop();
    });
    beforeEach(async () => {
      ({ url, cleanup } = await openUrl());
      db = await open();
      store = new InMemoryEventStore();
      targets = new NotificationTargets(db, { emailEnabled: true, allowLocalUrls: true });
      receiver.posts.length = 0;
      receiver.respond = () => 200;
      smtp.mails.length = 0;
      clock = T0;
    });
    afterEach(async () => {
      for (const database of opened.splice(0)) await database.close().catch(() => undefined);
      await cleanup();
    });

    async function open(): Promise<ReadModelDatabase> {
      const database = await ReadModelDatabase.open(url);
      opened.push(database);
      return database;
    }

    function notifier(database = db): Notifier {
      const transports = new Transports({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: '"Test pool" <pool@pool.test>' }, telegramApiUrl: receiver.url, allowLocalUrls: true, now: () => clock });
      return new Notifier({ store, db: database, targets: new NotificationTargets(database, { allowLocalUrls: true }), transports, settings: SETTINGS, poolName: 'Test pool', now: () => clock });
    }

    const record = async (stream: string, ...events: PoolEvent[]): Promise<void> => {
      await store.append(stream, events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data })), { expectedRevision: 'any' });
    };

    /** Payout 1: 1.25 XCH to farmer A and 0.5 XCH to farmer B in one transaction; sent, and confirmed if asked. */
    async function payout(confirm: boolean): Promise<void> {
      const plan = plannedEvent(1, clock, [
        { launcherId: FARMER_A, points: 10, amount: 1_250_000_000_000 },
        { launcherId: FARMER_B, points: 4, amount: 500_000_000_000 },
      ]) as PoolEvent;
      const signed: PoolEvent = {
        type: 'PayoutSigned',
        data: { payoutId: 'payout-00000001', signedAt: clock, transactions: [{ index: 0, transactionId: TX, spendBundle: { coinSpends: [], aggregatedSignature: 'c0' }, spentCoins: [], createdCoins: [], fee: '0' }] },
      };
      await record(payoutStream(1), plan, signed, { type: 'PayoutSent', data: { payoutId: 'payout-00000001', transactionIds: [TX], sentAt: clock } });
      if (confirm) await record(payoutStream(1), { type: 'PayoutConfirmed', data: { payoutId: 'payout-00000001', confirmedHeight: 120, confirmedAt: clock } });
    }

    const partial = (launcherId: string, at: number): PoolEvent => ({
      type: 'PartialSubmitted',
      data: { launcherId, proofHash: randomUUID().replace(/-/g, ''), points: '1', signagePointHash: 'sp', receivedAt: at, plotSize: 32, harvesterId: null, plotId: null, plotPublicKey: null, farmerVersion: null },
    } as unknown as PoolEvent);

    const addWebhook = async (launcherId: string, path: string, events: NotificationKind[]): Promise<NotificationTarget & { secret?: string }> =>
      targets.add(launcherId, { kind: 'webhook', address: `${receiver.url}${path}`, events }, clock);

    const at = (path: string): ReceivedPost[] => receiver.posts.filter((p) => p.path === path);

    it('sends each fact once, to the targets that chose it, through every transport; a restart sends nothing again', async () => {
      const hook = await addWebhook(FARMER_A, '/hook-a', ['payout-sent', 'payout-confirmed']);
      await targets.add(FARMER_A, { kind: 'discord', address: `${receiver.url}/api/webhooks/42/discord-token`, events: ['block-won'] }, clock);
      await targets.add(FARMER_A, { kind: 'telegram', address: `${TELEGRAM}:-1001234`, events: ['payout-sent'] }, clock);
      await targets.add(FARMER_A, { kind: 'email', address: 'farmer-a@example.com', events: ['payout-sent', 'left-pool'] }, clock);
      await addWebhook(FARMER_B, '/hook-b', ['payout-sent']);

      await payout(true);
      await record(`reward-${'r1'.padEnd(64, '0')}`, {
        type: 'RewardDetected',
        data: { coinId: 'r1'.padEnd(64, '0'), launcherId: FARMER_A, puzzleHash: 'p2'.padEnd(64, '0'), amount: '1750000000000', farmedHeight: 118, confirmedHeight: 119, detectedAt: clock },
      });
      await record(`farmer-${FARMER_A}`, { type: 'FarmerUpdated', data: { launcherId: FARMER_A, payoutInstructions: 'xch1newaddress', payoutPuzzleHash: 'ee'.repeat(32), updatedAt: clock } });
      const first = await notifier().round();

      // The generic webhook: payout sent and confirmed, the address change (always), signed with the secret shown once.
      const hookPosts = at('/hook-a');
      expect(hookPosts.map((p) => p.json.kind)).toEqual(['payout-sent', 'payout-confirmed', 'payout-address-changed']);
      for (const post of hookPosts) {
        expect(post.headers['x-pool-signature']).toBe(webhookSignature(hook.secret!, String(post.headers['x-pool-timestamp']), post.body));
        expect(post.headers['idempotency-key']).toBe(post.json.id);
      }
      expect(hookPosts[0]!.json.data).toEqual({ payoutId: 'payout-00000001', amount: '1250000000000', transactionId: TX });
      expect(hookPosts[0]!.json.text).toContain('1.25 XCH');
      expect(webhookSignature('not-the-secret', String(hookPosts[0]!.headers['x-pool-timestamp']), hookPosts[0]!.body)).not.toBe(hookPosts[0]!.headers['x-pool-signature']);
      // Discord: the block and the address change; Telegram: the payout and the address change, to its chat.
      expect(at('/api/webhooks/42/discord-token').map((p) => String(p.json.content).split('\n')[0])).toEqual([
        '**Test pool: farmer aaaaaaaa…aaaaaa won block 118**',
        '**Test pool: the payout address of farmer aaaaaaaa…aaaaaa changed**',
      ]);
      const telegram = at(`/bot${TELEGRAM}/sendMessage`);
      expect(telegram.map((p) => [p.json.chat_id, String(p.json.text).split('\n')[0]])).toEqual([
        ['-1001234', 'Test pool: payout of 1.25 XCH sent'],
        ['-1001234', 'Test pool: the payout address of farmer aaaaaaaa…aaaaaa changed'],
      ]);
      // E-mail through the test's SMTP server: the payout and the address change.
      expect(smtp.mails.map((m) => m.to)).toEqual([['farmer-a@example.com'], ['farmer-a@example.com']]);
      expect(smtp.mails[0]!.raw).toMatch(/Subject: Test pool: payout of 1.25 XCH sent/);
      // Quoted-printable wraps long lines with a soft break ("=" at the end of the line).
      const mailText = smtp.mails.map((m) => m.raw.replace(/=\r?\n/g, ''));
      expect(mailText[0]).toContain(`Transaction: ${TX}`);
      expect(mailText[1]).toContain('xch1newaddress');
      // Farmer B is told its own amount only.
      expect(at('/hook-b').map((p) => (p.json.data as { amount: string }).amount)).toEqual(['500000000000']);
      expect(first).toEqual({ queued: 10, sent: 10, failed: 0 });

      // Again, a restarted notifier, and one whose checkpoint was lost: nothing is sent twice.
      expect(await notifier().round()).toEqual({ queued: 0, sent: 0, failed: 0 });
      await db.executor().query('DELETE FROM notifier_checkpoints');
      expect(await notifier().round()).toEqual({ queued: 0, sent: 0, failed: 0 });
      expect(receiver.posts).toHaveLength(8);
      expect(smtp.mails).toHaveLength(2);
    });

    it('a crash between sending and recording sends again, with the same key, once the claim runs out', async () => {
      await addWebhook(FARMER_A, '/crash', ['payout-sent']);
      await payout(false);
      receiver.hold();
      const first = notifier().round();
      while (receiver.posts.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      // The first notifier dies after the receiver took the notification and before it recorded that.
      await db.close();
      receiver.release();
      await expect(first).rejects.toThrow();

      const second = await open();
      expect(await notifier(second).round()).toEqual({ queued: 0, sent: 0, failed: 0 }); // still claimed by the first
      clock += 61;
      expect(await notifier(second).round()).toEqual({ queued: 0, sent: 1, failed: 0 });
      clock += 3600;
      expect(await notifier(second).round()).toEqual({ queued: 0, sent: 0, failed: 0 });
      expect(at('/crash')).toHaveLength(2);
      expect(at('/crash')[1]!.headers['idempotency-key']).toBe(at('/crash')[0]!.headers['idempotency-key']);
      expect(receiver.distinct('/crash')).toHaveLength(1);
    });

    it('retries with exponential backoff, pauses a target that keeps failing, and sends when the farmer resumes it', async () => {
      const target = await addWebhook(FARMER_A, '/failing', ['payout-sent']);
      receiver.respond = () => 500;
      await payout(false);
      const tries: number[] = [];
      for (let t = 0; t <= 400; t++) {
        clock = T0 + t;
        const before = at('/failing').length;
        await notifier().round();
        if (at('/failing').length > before) tries.push(t);
      }
      // 30 s, then 60 s after the second failure; the third failure in a row pauses the target.
      expect(tries).toEqual([0, 30, 90]);
      const [paused] = await targets.list(FARMER_A);
      expect(paused).toMatchObject({ id: target.id, pausedAt: T0 + 90, failures: 3 });
      expect(paused!.lastError).toMatch(/HTTP 500/);

      receiver.respond = () => 200;
      clock = T0 + 10_000;
      expect(await notifier().round()).toMatchObject({ sent: 0 });
      expect(await targets.resume(FARMER_A, target.id)).toBe(true);
      expect(await notifier().round()).toMatchObject({ sent: 1 });
      expect(await targets.list(FARMER_A)).toEqual([expect.objectContaining({ pausedAt: null, failures: 0, lastError: null })]);
      expect(receiver.distinct('/failing')).toHaveLength(1);
    });

    it('tells a farmer once that it is offline after the configured silence, and again after the next silence', async () => {
      await addWebhook(FARMER_B, '/offline', ['farmer-offline']);
      await addWebhook(FARMER_C, '/left', ['farmer-offline', 'left-pool']);
      await record(`partial-${FARMER_B}`, partial(FARMER_B, T0));
      await record(`partial-${FARMER_C}`, partial(FARMER_C, T0));
      await record(`farmer-${FARMER_C}`, { type: 'FarmerLeftPool', data: { launcherId: FARMER_C, height: 200, at: T0 + 10, reason: 'leaving' } });
      for (const t of [0, 3599, 3600, 3601, 7200]) {
        clock = T0 + t;
        await notifier().round();
      }
      expect(at('/offline').map((p) => p.json.key ?? p.json.id)).toEqual([`farmer-offline:${FARMER_B}:${T0}`]);
      await record(`partial-${FARMER_B}`, partial(FARMER_B, T0 + 8000));
      for (const t of [8000, 11_599, 11_600]) {
        clock = T0 + t;
        await notifier().round();
      }
      expect(at('/offline').map((p) => p.json.id)).toEqual([`farmer-offline:${FARMER_B}:${T0}`, `farmer-offline:${FARMER_B}:${T0 + 8000}`]);
      // The farmer that left is told it left, never that it is offline.
      expect(at('/left').map((p) => p.json.kind)).toEqual(['left-pool']);
    });

    it('does not send facts older than the maximum age (a notifier starting on an old ledger)', async () => {
      await addWebhook(FARMER_A, '/old', ['payout-sent']);
      await payout(false);
      clock = T0 + SETTINGS.maxAgeSeconds + 1;
      expect(await notifier().round()).toEqual({ queued: 0, sent: 0, failed: 0 });
    });
  });
}

suite('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'notifier-'));
  return { url: `sqlite:${join(dir, 'read-models.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

describeWithPostgres('PostgreSQL', (pgUrl) => {
  suite('PostgreSQL', async () => {
    const schema = testSchema('notifier');
    return { url: `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`, cleanup: () => dropSchema(pgUrl, schema) };
  });
});
