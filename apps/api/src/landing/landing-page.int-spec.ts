import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiServer } from '@pool/api';
import { loadPoolConfig } from '@pool/config';
import { InMemoryEventStore } from '@pool/event-store';
import { allProjections } from '@pool/projections';
import { Projector, ReadModelDatabase } from '@pool/read-models';
import { apiDepsWithoutChain, appendLedger, generateLedger } from '@pool/testing';
import { bytesText, xchText } from './landing-html';

/** Someone who types the pool URL into a browser lands on the pool's front page, not on a protocol error. */
describe('the pool URL in a browser', () => {
  let app: NestFastifyApplication;
  let url: string;
  const base = loadPoolConfig({});
  // A name and description an operator could write, with markup in them: shown as text.
  const config = {
    ...base,
    settings: {
      ...base.settings,
      name: 'Tom & Jerry <b>pool</b>',
      description: 'Farm with "us" <script>alert(1)</script>',
      feeBasisPoints: 150,
      payouts: { ...base.settings.payouts, scheme: 'pplns' as const, pplnsWindowSeconds: 86_400, minimumPayout: 12_345_678_901n },
    },
  };

  let readModels: ReadModelDatabase;

  beforeAll(async () => {
    const store = new InMemoryEventStore();
    await appendLedger(store, generateLedger({ farmers: 3, events: 400, seed: 17, rewardEvery: 40, payoutEvery: 150 }));
    readModels = await ReadModelDatabase.open('sqlite::memory:');
    await new Projector(store, readModels, allProjections).rebuild();
    app = await createApiServer(await apiDepsWithoutChain(config, store, readModels), ['error']);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
    await readModels.close();
  });

  it("answers / with the pool's front page: name, fee, scheme, minimum payout, how to join and the current figures", async () => {
    const landing = await fetch(`${url}/`, { redirect: 'manual' });
    expect(landing.status).toBe(200);
    expect(landing.headers.get('content-type')).toMatch(/^text\/html/);
    // The dashboard's policy: no inline script or style, no framing.
    expect(landing.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(landing.headers.get('x-frame-options')).toBe('DENY');
    const html = await landing.text();
    expect(html).toContain('<h1 id="pool-title">Tom &amp; Jerry &lt;b&gt;pool&lt;/b&gt;</h1>');
    expect(html).toContain('Farm with &quot;us&quot; &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script|<b>|style=/i);
    expect(html).toMatch(/data-field="fee"><span class="figure">1\.50 %/);
    expect(html).toMatch(/data-field="scheme"><span class="figure">PPLNS<\/span><small>PPLNS: the points of the last 24 hours/);
    // 12,345,678,901 mojos at the dashboard's precision.
    expect(html).toMatch(/data-field="minimumPayout"><span class="figure">0\.012346 XCH/);
    expect(html).toContain(`chia plotnft join -i &lt;wallet id&gt; -u ${url}`);
    expect(html).toContain(`chia plotnft create -s pool -u ${url}`);
    // The figures now are the read API's.
    const stats = (await (await fetch(`${url}/api/pool/stats`)).json()) as { farmers: { members: number }; estimatedSpace: string; payouts: { paidToFarmers: string } };
    expect(stats.farmers.members).toBe(3);
    expect(html).toContain(`data-field="farmers"><span class="figure">3</span>`);
    expect(html).toContain(`data-field="paid"><span class="figure">${xchText(stats.payouts.paidToFarmers)}</span>`);
    expect(html).toContain(`data-field="estimatedSpace"><span class="figure">${bytesText(stats.estimatedSpace)}</span>`);
    expect(html).toContain('href="/dashboard"');
  });

  it('shows XCH at six decimals, rounded half up, and dust exactly', () => {
    expect(['0', '1', '500000', '1750000000000', '12345678901', '999999500000', '1234000000000000'].map(xchText)).toEqual([
      '0 XCH',
      '0.000000000001 XCH',
      '0.000001 XCH',
      '1.75 XCH',
      '0.012346 XCH',
      '1 XCH',
      '1,234 XCH',
    ]);
  });

  it('still answers an unknown protocol path in the protocol format', async () => {
    expect(await (await fetch(`${url}/no_such_route`)).json()).toMatchObject({ error_code: 16, error_message: 'no such pool protocol route' });
  });
});
