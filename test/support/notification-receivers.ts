import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One POST a receiver got. */
export interface ReceivedPost {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

/**
 * A local HTTP receiver for the notifier's webhooks (Discord, Telegram's Bot API, the generic signed webhook).
 * `respond` decides each answer (default 200); `hold` keeps answers back until released, to stop a notifier
 * between its send and its record.
 */
export class WebhookReceiver {
  readonly posts: ReceivedPost[] = [];
  respond: (post: ReceivedPost) => number = () => 200;
  private held: (() => void)[] | undefined;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const post: ReceivedPost = { path: req.url ?? '', headers: req.headers, body, json: JSON.parse(body || '{}') as Record<string, unknown> };
        this.posts.push(post);
        const answer = (): void => {
          const status = this.respond(post);
          res.writeHead(status, { 'content-type': 'application/json' }).end(status < 300 ? '{"ok":true}' : '{"ok":false,"description":"refused by the test"}');
        };
        if (this.held) this.held.push(answer);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  hold(): void {
    this.held = [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const answer of held) answer();
  }

  /** Posts whose `Idempotency-Key` (or `id`) was not seen before: what a receiver that honours the key acts on. */
  distinct(path?: string): ReceivedPost[] {
    const seen = new Set<string>();
    return this.posts.filter((post) => {
      if (path !== undefined && post.path !== path) return false;
      const key = String(post.headers['idempotency-key'] ?? post.json.id ?? post.body);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server (npm smtp-server) on a free local port, keeping every message it accepts. */
export class TestSmtpServer {
  readonly mails: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.mails.push({
            from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
