import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { CommandBus } from '@nestjs/cqrs';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadPoolConfig } from '@pool/config';
import { farmerStream } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { apiDepsWithoutChain, launcher, registeredFarmerData } from '@pool/testing';
import { createApiServer } from '../api-server';
import { LOGIN_COOKIE } from '../pool-protocol/authentication/login-session';
import { OpenFarmerSessionCommand } from './sessions/open-farmer-session.command';

const XCH = 10n ** 12n;
const FARMER = launcher(1);

/**
 * The farmer area over real HTTP against an api with an in-memory ledger: sessions that open, list and end (an ended
 * or expired one refused), settings recorded as ledger events only through a page of the pool (CSRF token, origin),
 * and notification targets kept out of the public ledger.
 */
describe('farmer area', () => {
  let app: NestFastifyApplication;
  let url: string;
  let store: InMemoryEventStore;
  let readModels: ReadModelDatabase;
  let now = 1_800_000_000;

  beforeAll(async () => {
    store = new InMemoryEventStore();
    await store.append(farmerStream(FARMER), [{ id: '00000000-0000-4000-8000-000000000001', type: 'FarmerRegistered', data: registeredFarmerData({ launcherId: FARMER, puzzleHash: 'b1'.repeat(32) }) }], {
      expectedRevision: 'no_stream',
    });
    readModels = await ReadModelDatabase.open('sqlite::memory:');
    const base = loadPoolConfig({});
    const config = { ...base, settings: { ...base.settings, payouts: { ...base.settings.payouts, minimumPayout: XCH / 100n } } };
    app = await createApiServer({ ...(await apiDepsWithoutChain(config, store, readModels)), clock: () => now, notificationTargets: { allowLocalUrls: true } }, ['error']);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
    await readModels.close();
  });

  /** A session as GET /login opens it after checking the link's signature. */
  const login = async (userAgent = 'Mozilla/5.0 test'): Promise<string> => {
    const { setCookie } = await app.get(CommandBus).execute(new OpenFarmerSessionCommand(FARMER, userAgent, false));
    return setCookie.split(';')[0]!;
  };
  const get = (path: string, cookie?: string): Promise<Response> => fetch(`${url}${path}`, { headers: cookie ? { cookie } : {} });
  const post = (path: string, cookie: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${url}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const csrf = async (cookie: string): Promise<string> => ((await (await get('/api/farmer-area', cookie)).json()) as { csrfToken: string }).csrfToken;

  it('refuses a request without a session, or with a forged one', async () => {
    expect((await get('/api/farmer-area')).status).toBe(401);
    const cookie = await login();
    // One character of the signature changed, not the last: base64's last character carries unused bits, and
    // changing only those forges nothing (this test failed whenever the cookie ended in A-D).
    const at = cookie.length - 5;
    const forged = cookie.slice(0, at) + (cookie[at] === 'A' ? 'B' : 'A') + cookie.slice(at + 1);
    expect((await get('/api/farmer-area', forged)).status).toBe(401);
    expect((await get('/api/farmer-area', cookie)).status).toBe(200);
  });

  it('records a display name and an own minimum payout as ledger events, only with the CSRF token from this origin', async () => {
    const cookie = await login();
    const token = await csrf(cookie);
    const change = { displayName: '  Alpine   Farm ', minimumPayout: (XCH / 2n).toString() };
    expect((await post('/api/farmer-area/settings', cookie, change)).status).toBe(403);
    expect((await post('/api/farmer-area/settings', cookie, change, { 'x-csrf-token': 'x'.repeat(43) })).status).toBe(403);
    expect((await post('/api/farmer-area/settings', cookie, change, { 'x-csrf-token': token, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('/api/farmer-area/settings', cookie, change, { 'x-csrf-token': token, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await store.readStream(farmerStream(FARMER))).toHaveLength(1);

    const answer = await post('/api/farmer-area/settings', cookie, change, { 'x-csrf-token': token, origin: url });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ launcherId: FARMER, displayName: 'Alpine Farm', minimumPayout: '500000000000', pool: { minimumPayout: '10000000000' } });
    const events = (await store.readStream(farmerStream(FARMER))).map((e) => [e.type, e.data]);
    expect(events.slice(1)).toEqual([
      ['FarmerDisplayNameSet', { launcherId: FARMER, displayName: 'Alpine Farm', setAt: now }],
      ['FarmerMinimumPayoutSet', { launcherId: FARMER, minimumPayout: '500000000000', poolMinimumPayout: '10000000000', setAt: now }],
    ]);
  });

  it("refuses a name it would not show and a minimum below the pool's, recording neither", async () => {
    const cookie = await login();
    const token = await csrf(cookie);
    const before = (await store.readStream(farmerStream(FARMER))).length;
    const bad = await post('/api/farmer-area/settings', cookie, { displayName: '<img src=x>', minimumPayout: '1' }, { 'x-csrf-token': token });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/display name/);
    const low = await post('/api/farmer-area/settings', cookie, { minimumPayout: '1' }, { 'x-csrf-token': token });
    expect(((await low.json()) as { message: string }).message).toMatch(/at least the pool's, 10000000000 mojos/);
    expect((await post('/api/farmer-area/settings', cookie, { minimumPayout: 5 }, { 'x-csrf-token': token })).status).toBe(400);
    expect((await post('/api/farmer-area/settings', cookie, { other: 1 }, { 'x-csrf-token': token })).status).toBe(400);
    expect(await store.readStream(farmerStream(FARMER))).toHaveLength(before);
  });

  it('lists the sessions, ends another one and then all: an ended or expired session is refused', async () => {
    const phone = await login('Phone browser');
    const desk = await login('Desk browser');
    const listed = ((await (await get('/api/farmer-area/sessions', desk)).json()) as { sessions: { handle: string; userAgent: string; current: boolean }[] }).sessions;
    const phoneHandle = listed.find((s) => s.userAgent === 'Phone browser')!.handle;
    expect(listed.find((s) => s.current)!.userAgent).toBe('Desk browser');
    expect(JSON.stringify(listed)).not.toContain(phone.split('.')[2]); // never the session id itself

    const token = await csrf(desk);
    expect((await post('/api/farmer-area/sessions/end', desk, { handle: phoneHandle }, { 'x-csrf-token': token })).status).toBe(200);
    expect((await get('/api/farmer-area', phone)).status).toBe(401);
    expect((await get('/api/farmer-area', desk)).status).toBe(200);

    const ended = await post('/api/farmer-area/sessions/end-all', desk, {}, { 'x-csrf-token': token });
    expect(ended.headers.get('set-cookie')).toBe(`${LOGIN_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
    expect((await get('/api/farmer-area', desk)).status).toBe(401);

    const later = await login();
    now += 1800;
    expect((await get('/api/farmer-area', later)).status).toBe(401);
    now -= 1800;
  });

  it('keeps notification targets private: a webhook secret shown once, no address in any ledger event', async () => {
    const receiver: Server = createServer((_req, res) => res.end());
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/farmer-hook`;
    try {
      const cookie = await login();
      const token = await csrf(cookie);
      const added = await post('/api/farmer-area/notification-targets', cookie, { kind: 'webhook', address: hook, events: ['payout-sent'] }, { 'x-csrf-token': token });
      expect(added.status).toBe(201);
      const target = (await added.json()) as { id: string; secret: string; events: string[] };
      expect(target.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(target.events).toEqual(['payout-sent', 'payout-address-changed']);
      const { targets } = (await (await get('/api/farmer-area/notification-targets', cookie)).json()) as { targets: Record<string, unknown>[] };
      expect(targets).toEqual([expect.objectContaining({ id: target.id, address: hook, pausedAt: null })]);
      expect(targets[0]).not.toHaveProperty('secret');
      const bad = await post('/api/farmer-area/notification-targets', cookie, { kind: 'discord', address: 'not a url', events: [] }, { 'x-csrf-token': token });
      expect(bad.status).toBe(400);

      const ledger = JSON.stringify((await store.readAll()).map((e) => e.data));
      expect(ledger).not.toContain('farmer-hook');
      expect(ledger).not.toContain(target.secret);
      expect((await post(`/api/farmer-area/notification-targets/${target.id}/remove`, cookie, {}, { 'x-csrf-token': token })).status).toBe(200);
      expect(((await (await get('/api/farmer-area/notification-targets', cookie)).json()) as { targets: unknown[] }).targets).toEqual([]);
    } finally {
      receiver.close();
    }
  });
});
