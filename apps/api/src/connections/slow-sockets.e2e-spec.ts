import { connect, type Socket } from 'node:net';
import { bytesToHex, type PostPartialRequest, type SignagePointOrEosQuery } from '@pool/chia';
import { parsePrometheusText, PoolMetrics, seriesKey } from '@pool/runtime';
import { DevnetPoolHarness, expectLedgerAudits } from '@pool/testing';

/**
 * Issue 14 item 1 on real sockets: clients that trickle their request a byte at a time (headers or body) and more
 * sockets than the caps allow. The slow ones are closed by the header and request timeouts, the excess is refused
 * by the per-address and total caps, /metrics counts all of it, and real farmers on 127.0.0.1 are answered
 * meanwhile, including one whose partial waits for a signage point longer than the request timeout (that wait
 * comes after its body, so the timeout must not cut it). The limits are short here so the spec runs in seconds.
 */
const LIMITS = { headersTimeoutSeconds: 3, requestTimeoutSeconds: 5, keepAliveTimeoutSeconds: 1, maxConnections: 300, maxConnectionsPerAddress: 150 };

interface SlowSocket {
  socket: Socket;
  /** When the server closed it, in ms after it was opened. */
  closedAfterMs?: number;
  /** What the server sent before closing (a 408 for a timeout, nothing for a refusal). */
  received: string;
}

describe('slow and surplus client sockets', () => {
  const harness = new DevnetPoolHarness('slow-sockets', { connections: LIMITS, settings: { signagePointWaitSeconds: 10 } });
  const { chain } = harness;
  let port: number;
  const opened: SlowSocket[] = [];

  beforeAll(async () => {
    await harness.start();
    port = Number(new URL(harness.poolUrl).port);
  });
  afterAll(async () => {
    for (const s of opened) s.socket.destroy();
    await harness.stop();
  });

  /**
   * A client that sends its request a byte every 200 ms, from `from` (a loopback address of its own): either the
   * headers never end, or they end and a 1 KB body follows a byte at a time. It never stops by itself; the server
   * must close it (the spec destroys what is left at the end).
   */
  function trickle(from: string, part: 'headers' | 'body'): SlowSocket {
    const socket = connect({ host: '127.0.0.1', port, localAddress: from });
    const opening = Date.now();
    const slow: SlowSocket = { socket, received: '' };
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(part === 'headers' ? 'POST /partial HTTP/1.1\r\nHost: pool\r\n' : 'POST /partial HTTP/1.1\r\nHost: pool\r\nContent-Type: application/json\r\nContent-Length: 1024\r\n\r\n{');
      timer = setInterval(() => socket.write(part === 'headers' ? 'X' : ' '), 200);
    });
    socket.on('data', (chunk) => (slow.received += chunk.toString('latin1')));
    // A refused socket is reset under our feet; the write after it fails too.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      slow.closedAfterMs = Date.now() - opening;
    });
    opened.push(slow);
    return slow;
  }

  async function until(condition: () => boolean | Promise<boolean>, what: string, withinMs = 15_000): Promise<void> {
    const start = Date.now();
    while (!(await condition())) {
      if (Date.now() - start > withinMs) throw new Error(`not within ${withinMs} ms: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async function scrape(): Promise<Map<string, number>> {
    return parsePrometheusText(await (await fetch(`${harness.poolUrl}/metrics`)).text());
  }
  const series = (m: Map<string, number>, name: string, labels: Record<string, string> = {}): number => m.get(seriesKey(name, labels)) ?? Number.NaN;
  const held = (sockets: SlowSocket[]): SlowSocket[] => sockets.filter((s) => s.closedAfterMs === undefined);

  it('answers farmers while one address trickles 400 requests, caps that address, and closes the slow ones', async () => {
    const metrics = harness.app.get(PoolMetrics);
    const refused = async (cap: string): Promise<number> => (await metrics.httpConnectionsRefused.get()).values.find((v) => v.labels.cap === cap)?.value ?? 0;
    const f = harness.farmer('steady');
    await f.joinPool();
    chain.farmBlocks(6);
    expect(await f.register()).toEqual({ welcome_message: expect.any(String) });
    const before = await scrape();

    // The farmer's next partial, for a signage point the pool's node will not know until the test says so.
    let partials: PostPartialRequest[] = [];
    for (let sp = 0; sp < 2000 && partials.length === 0; sp++) {
      chain.advanceSignagePoints(1);
      partials = f.partialsFor(chain.latestSignagePoint(), chain.peakHeight() + 1);
    }
    const spHash = bytesToHex(partials[0]!.payload.spHash);
    const isThePoint = (query: SignagePointOrEosQuery): boolean => ('spHash' in query ? query.spHash : query.challengeHash) === spHash;
    let nodeHasIt = false;
    const original = chain.getRecentSignagePointOrEos.bind(chain);
    const lookups = jest.spyOn(chain, 'getRecentSignagePointOrEos').mockImplementation((query) => (isThePoint(query) && !nodeHasIt ? Promise.resolve(null) : original(query)));

    try {
      // 400 sockets from 127.0.0.2, headers and bodies alternating: 150 are held, 250 refused as they arrive.
      const flood = Array.from({ length: 400 }, (_, i) => trickle('127.0.0.2', i % 2 === 0 ? 'headers' : 'body'));
      await until(async () => (await refused('per_address')) - series(before, 'pool_http_connections_refused_total', { cap: 'per_address' }) === 250, '250 refused by the per-address cap');

      // While they are held: the farmer is answered on every route it uses, and /metrics shows the flood.
      const sent = Date.now();
      const answers = Promise.all(partials.map((partial) => f.submit(partial)));
      const info = await fetch(`${harness.poolUrl}/pool_info`);
      expect(info.status).toBe(200);
      expect(await info.json()).toMatchObject({ name: expect.any(String) });
      expect(await f.getFarmer()).toMatchObject({ current_difficulty: expect.any(Number) });
      expect((await fetch(`${harness.poolUrl}/health`)).status).toBe(200);
      const during = await scrape();
      // At least the 75 trickled bodies are still held (5 s), likely the 75 trickled headers too (3 s).
      expect(held(flood).length).toBeGreaterThanOrEqual(75);
      expect(series(during, 'pool_http_open_connections')).toBeGreaterThanOrEqual(75);
      expect(series(during, 'pool_http_max_connections')).toBe(300);

      // The partial waits for its signage point longer than the request timeout (its body arrived at once, so that
      // timeout is over), and is accepted once the point appears.
      await new Promise((resolve) => setTimeout(resolve, LIMITS.requestTimeoutSeconds * 1000 + 500));
      nodeHasIt = true;
      for (const answer of await answers) expect(answer).toEqual({ new_difficulty: 1 });
      expect(Date.now() - sent).toBeGreaterThan(LIMITS.requestTimeoutSeconds * 1000);

      // Every socket is closed by the server: the 250 refused before a byte was answered, the 150 held ones by a
      // timeout, with a 408 (the trickled headers after about 3 s, the trickled bodies after about 5 s).
      await until(() => held(flood).length === 0, 'every slow socket closed by the server');
      expect(flood.filter((s) => s.received === '')).toHaveLength(250);
      const timedOut = flood.filter((s) => s.received !== '');
      expect(timedOut).toHaveLength(150);
      for (const s of timedOut) {
        expect(s.received).toMatch(/^HTTP\/1\.1 408 /);
        expect(s.closedAfterMs).toBeGreaterThanOrEqual(LIMITS.headersTimeoutSeconds * 1000 - 50);
      }
    } finally {
      lookups.mockRestore();
    }
    const after = await scrape();
    expect(series(after, 'pool_http_request_timeouts_total', { phase: 'request' }) - series(before, 'pool_http_request_timeouts_total', { phase: 'request' })).toBe(150);
    expect(series(after, 'pool_http_connections_refused_total', { cap: 'per_address' }) - series(before, 'pool_http_connections_refused_total', { cap: 'per_address' })).toBe(250);
    expect(series(after, 'pool_http_open_connections')).toBeLessThan(10);
  });

  it('refuses connections beyond the total cap from many addresses, and serves again once the slow ones are closed', async () => {
    const metrics = harness.app.get(PoolMetrics);
    const gauge = async (): Promise<number> => (await metrics.httpOpenConnections.get()).values[0]?.value ?? 0;
    const refusedTotal = async (): Promise<number> => (await metrics.httpConnectionsRefused.get()).values.find((v) => v.labels.cap === 'total')?.value ?? 0;
    // The earlier requests' connections are gone (keep-alive 1 s), so the cap is all the flood's.
    await until(async () => (await gauge()) === 0, 'no connection left open');
    const refusedBefore = await refusedTotal();

    // 4 addresses x 100 bodies: each address is under its cap, together they are 100 over the total.
    const flood = ['127.0.0.10', '127.0.0.11', '127.0.0.12', '127.0.0.13'].flatMap((from) => Array.from({ length: 100 }, () => trickle(from, 'body')));
    await until(() => flood.filter((s) => s.socket.readyState === 'open' || s.closedAfterMs !== undefined).length === 400, 'every flood socket connected or refused');
    await until(() => held(flood).length <= 300, 'the sockets beyond the total cap refused');
    const heldNow = held(flood).length;
    expect(heldNow).toBe(300);
    expect((await refusedTotal()) - refusedBefore).toBe(400 - heldNow);
    expect(await gauge()).toBe(300);

    // The cap frees itself: once the timeouts close the slow sockets, farmers connect again.
    await until(() => held(flood).length === 0, 'every slow socket closed by the server');
    expect((await fetch(`${harness.poolUrl}/pool_info`)).status).toBe(200);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /pool_info HTTP/1.1\r\nHost: pool\r\nConnection: keep-alive\r\n\r\n');
    await until(() => received.includes('\r\n\r\n'), 'the answer');
    const answered = Date.now();
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(received).toMatch(/keep-alive: timeout=1/i);
    let timer: NodeJS.Timeout | undefined;
    const closedAt = await Promise.race([closed, new Promise<number>((resolve) => (timer = setTimeout(() => resolve(Number.NaN), 5000)))]);
    clearTimeout(timer);
    socket.destroy();
    expect(closedAt - answered).toBeLessThan(3000);
  });

  it('leaves a ledger that still audits', () => expectLedgerAudits(harness.store));
});
