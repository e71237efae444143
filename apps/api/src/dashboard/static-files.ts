import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

interface Loaded {
  body: Buffer;
  etag: string;
  type: string;
}

/**
 * A fixed list of files from one folder, read once and kept in memory, with an ETag so browsers revalidate
 * instead of downloading again. Only names on the list can be asked for, so no path ever reaches the file system
 * from a request. (Here instead of @fastify/static: its content-disposition dependency is ESM-only, which the
 * CommonJS test runner cannot load.)
 */
export class StaticFiles {
  private readonly cache = new Map<string, Promise<Loaded>>();

  constructor(
    private readonly dir: string,
    readonly names: readonly string[],
  ) {}

  has(name: string): boolean {
    return this.names.includes(name);
  }

  private load(name: string): Promise<Loaded> {
    let loaded = this.cache.get(name);
    if (!loaded) {
      loaded = readFile(join(this.dir, name)).then((body) => ({
        body,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        type: TYPES[extname(name)] ?? 'application/octet-stream',
      }));
      loaded.catch(() => this.cache.delete(name));
      this.cache.set(name, loaded);
    }
    return loaded;
  }

  /** Sends `name` (which must be on the list), or 304 when the browser's copy is current. */
  async send(name: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!this.has(name)) {
      await reply.status(404).type('application/json').send(JSON.stringify({ statusCode: 404, message: `no file ${name}`, error: 'Not Found' }));
      return;
    }
    const file = await this.load(name);
    void reply.header('etag', file.etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === file.etag) {
      await reply.status(304).send();
      return;
    }
    await reply.type(file.type).send(file.body);
  }
}
