import { get } from 'node:http';
import { createServer } from 'node:net';

/** A TCP port free on loopback now (for a child process to listen on). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * GET `url` on a connection of its own (node:cluster hands each new connection to the next api process), parsed as
 * JSON; undefined when nothing answers within `timeoutMs` or the answer is not JSON.
 */
export function getJson(url: string, timeoutMs = 5000): Promise<unknown> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch {
          resolve(undefined);
        }
      });
      res.on('error', () => resolve(undefined));
    });
    req.setTimeout(timeoutMs, () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** Polls `check` until it holds; past `timeoutMs` throws naming `what`, with the tail of `output` (children's logs). */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, output: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}\n${output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
