import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { listeningApiWithoutChain } from '@pool/testing';

/** Someone who types the pool URL into a browser lands on the dashboard, not on a protocol error. */
describe('the pool URL in a browser', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => ({ app, url } = await listeningApiWithoutChain()));
  afterAll(() => app.close());

  it('redirects / to the dashboard, which answers its page', async () => {
    const landing = await fetch(`${url}/`, { redirect: 'manual' });
    expect(landing.status).toBe(302);
    expect(landing.headers.get('location')).toBe('/dashboard');
    const followed = await fetch(`${url}/`);
    expect(followed.status).toBe(200);
    expect(followed.url).toBe(`${url}/dashboard`);
    expect(followed.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await followed.text()).toMatch(/<html/i);
  });

  it('still answers an unknown protocol path in the protocol format', async () => {
    expect(await (await fetch(`${url}/no_such_route`)).json()).toMatchObject({ error_code: 16, error_message: 'no such pool protocol route' });
  });
});
