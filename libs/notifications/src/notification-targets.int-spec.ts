import { ReadModelDatabase } from '@pool/read-models';
import { FARMER_A, FARMER_B } from '@pool/testing';
import { isPrivateHost, NotificationTargetError, NotificationTargets } from '@pool/notifications';

const NOW = 1_700_000_000;
const TELEGRAM = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0:-1001234';

describe('NotificationTargets (the private notification_targets table)', () => {
  let db: ReadModelDatabase;
  beforeEach(async () => {
    db = await ReadModelDatabase.open('sqlite::memory:');
  });
  afterEach(() => db.close());

  it('refuses e-mail targets with a clear reason when the pool has no SMTP server', async () => {
    const targets = new NotificationTargets(db);
    const refusal = targets.add(FARMER_A, { kind: 'email', address: 'farmer@example.com', events: ['payout-sent'] }, NOW);
    await expect(refusal).rejects.toThrow(NotificationTargetError);
    await expect(refusal).rejects.toMatchObject({ code: 'EMAIL_DISABLED', message: expect.stringMatching(/no e-mail server configured/) });
    const withSmtp = new NotificationTargets(db, { emailEnabled: true });
    await expect(withSmtp.add(FARMER_A, { kind: 'email', address: 'farmer@example.com', events: ['payout-sent'] }, NOW)).resolves.toMatchObject({ kind: 'email' });
    await expect(withSmtp.add(FARMER_A, { kind: 'email', address: 'not an address', events: [] }, NOW)).rejects.toThrow('not an e-mail address');
  });

  it.each([
    ['discord', 'https://example.com/api/webhooks/1/abc', /discord\.com\/api\/webhooks/],
    ['discord', 'http://discord.com/api/webhooks/1/abc', /https:\/\//],
    ['telegram', '123:short:42', /<botToken>:<chatId>/],
    ['telegram', `${TELEGRAM.split(':-')[0]}:not-a-chat`, /<botToken>:<chatId>/],
    ['webhook', 'http://hooks.example.com/x', /https:\/\//],
    ['webhook', 'https://127.0.0.1/x', /public host/],
    ['webhook', 'https://10.1.2.3/x', /public host/],
    ['webhook', 'https://[::ffff:127.0.0.1]/x', /public host/],
    ['webhook', 'https://localhost/x', /public host/],
    ['webhook', 'https://user:pw@hooks.example.com/x', /user name or password/],
    ['webhook', 'not a url', /not a webhook URL/],
  ] as const)('refuses a %s target at %s', async (kind, address, reason) => {
    await expect(new NotificationTargets(db).add(FARMER_A, { kind, address, events: ['payout-sent'] }, NOW)).rejects.toThrow(reason);
  });

  it('keeps valid targets per farmer, shows a webhook secret once, always includes the address change, removes and resumes', async () => {
    const targets = new NotificationTargets(db);
    const hook = await targets.add(FARMER_A, { kind: 'webhook', address: 'https://hooks.example.com/pool', events: ['block-won', 'payout-sent', 'block-won'] }, NOW + 0.5);
    expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(hook.events).toEqual(['payout-sent', 'block-won', 'payout-address-changed']);
    const discord = await targets.add(FARMER_A, { kind: 'discord', address: 'https://discord.com/api/webhooks/123/tok-en_1', events: [] }, NOW);
    expect(discord).not.toHaveProperty('secret');
    await targets.add(FARMER_B, { kind: 'telegram', address: TELEGRAM, events: ['farmer-offline'] }, NOW);
    await expect(targets.add(FARMER_A, { kind: 'webhook', address: 'https://x.example.com', events: ['nonsense' as never] }, NOW)).rejects.toThrow('unknown notification');

    const listed = await targets.list(FARMER_A);
    expect(listed.map((t) => t.kind).sort()).toEqual(['discord', 'webhook']); // same second: ordered by id
    expect(listed.find((t) => t.kind === 'webhook')).toEqual({ ...hook, createdAt: NOW, secret: undefined });
    expect(JSON.stringify(listed)).not.toContain(hook.secret!);

    // A farmer can only touch its own targets.
    expect(await targets.remove(FARMER_B, hook.id)).toBe(false);
    expect(await targets.recordFailure(hook.id, 'HTTP 500', NOW, 2)).toBe(false);
    expect(await targets.recordFailure(hook.id, 'HTTP 502', NOW + 30, 2)).toBe(true);
    expect((await targets.list(FARMER_A)).find((t) => t.id === hook.id)).toMatchObject({ pausedAt: NOW + 30, failures: 2, lastError: 'HTTP 502' });
    expect(await targets.resume(FARMER_B, hook.id)).toBe(false);
    expect(await targets.resume(FARMER_A, hook.id)).toBe(true);
    expect((await targets.list(FARMER_A)).find((t) => t.id === hook.id)).toMatchObject({ pausedAt: null, failures: 0, lastError: 'HTTP 502' });
    expect(await targets.remove(FARMER_A, discord.id)).toBe(true);
    expect((await targets.list(FARMER_A)).map((t) => t.id)).toEqual([hook.id]);
  });

  it('caps the targets per farmer', async () => {
    const targets = new NotificationTargets(db, { maxPerFarmer: 2 });
    for (const n of [1, 2]) await targets.add(FARMER_A, { kind: 'webhook', address: `https://hooks.example.com/${n}`, events: [] }, NOW);
    await expect(targets.add(FARMER_A, { kind: 'webhook', address: 'https://hooks.example.com/3', events: [] }, NOW)).rejects.toMatchObject({ code: 'TOO_MANY_TARGETS' });
  });

  it('knows private and public hosts', () => {
    for (const host of ['localhost', '127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '[::1]', 'fd00::1', 'printer.local', 'intranet']) expect([host, isPrivateHost(host)]).toEqual([host, true]);
    for (const host of ['discord.com', '8.8.8.8', '172.32.0.1', '2606:4700::1']) expect([host, isPrivateHost(host)]).toEqual([host, false]);
  });
});
