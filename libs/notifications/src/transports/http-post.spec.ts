import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { DeliveryError, postJson } from '@pool/notifications';

describe('postJson (the webhooks transport)', () => {
  it('refuses plain http and, at connection time, a name that resolves to a private address', async () => {
    await expect(postJson('http://hooks.example.com/x', {})).rejects.toThrow('only https:// is allowed');
    // "localhost" passes as a name only here (targets refuse it when added): DNS gives 127.0.0.1, refused before connecting.
    await expect(postJson('https://localhost:1/x', {})).rejects.toThrow(/resolves to a private address/);
  });

  it('posts JSON to a local receiver when allowed (tests), and reports a refusal with its status', async () => {
    const bodies: string[] = [];
    let status = 200;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(status).end('nope');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      await expect(postJson(url, { a: 1 }, { allowLocal: true })).resolves.toMatchObject({ status: 200 });
      status = 429;
      const refusal = postJson(url, { a: 2 }, { allowLocal: true });
      await expect(refusal).rejects.toThrow(DeliveryError);
      await expect(refusal).rejects.toThrow('127.0.0.1 answered HTTP 429: nope');
      expect(bodies).toEqual(['{"a":1}', '{"a":2}']);
    } finally {
      server.close();
    }
  });
});
