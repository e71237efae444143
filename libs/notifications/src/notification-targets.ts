import { randomBytes, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { DomainError } from '@pool/domain';
import { type ReadModelDatabase } from '@pool/read-models';
import { ensureNotificationTables, returned } from './notification-tables';

/** What a farmer can be told. `payout-address-changed` is sent to every target whatever it subscribed to. */
export type NotificationKind = 'payout-sent' | 'payout-confirmed' | 'block-won' | 'payout-address-changed' | 'farmer-offline' | 'left-pool';
export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['payout-sent', 'payout-confirmed', 'block-won', 'payout-address-changed', 'farmer-offline', 'left-pool'];

export type NotificationTargetKind = 'email' | 'discord' | 'telegram' | 'webhook';
export const NOTIFICATION_TARGET_KINDS: readonly NotificationTargetKind[] = ['email', 'discord', 'telegram', 'webhook'];

/**
 * Where a farmer wants to be told. Personal data (addresses, tokens, secrets): kept in a private table of the
 * read-model database, never in the public ledger, and never dropped by a projections rebuild.
 */
export interface NotificationTarget {
  id: string;
  launcherId: string;
  kind: NotificationTargetKind;
  /** An e-mail address, an https URL (discord, webhook), or `<botToken>:<chatId>` (telegram). */
  address: string;
  events: NotificationKind[];
  /** Unix seconds (the pool clock). */
  createdAt: number;
  /** Unix seconds; set when deliveries kept failing: nothing is sent until the farmer resumes the target. */
  pausedAt: number | null;
  /** Failed deliveries in a row. */
  failures: number;
  lastError: string | null;
}

/** A target with its HMAC secret (webhooks only): for the notifier, never for a page. */
export interface DeliverableTarget extends NotificationTarget {
  secret: string | null;
}

export interface NewNotificationTarget {
  kind: NotificationTargetKind;
  address: string;
  events: readonly NotificationKind[];
}

export interface NotificationTargetsOptions {
  /** Whether the pool has an SMTP server configured: without one, e-mail targets are refused when added. */
  emailEnabled?: boolean;
  /** Tests only: accept http:// and loopback URLs (a local receiver); production refuses them. */
  allowLocalUrls?: boolean;
  /** At most this many targets per farmer (default 10). */
  maxPerFarmer?: number;
}

/** Why a target was refused or not found; the message is meant for the farmer. */
export class NotificationTargetError extends DomainError {
  constructor(
    readonly code: 'INVALID_TARGET' | 'EMAIL_DISABLED' | 'TOO_MANY_TARGETS',
    message: string,
  ) {
    super('REQUEST_FAILED', message);
  }
}

interface TargetRow {
  id: string;
  launcher_id: string;
  kind: string;
  address: string;
  events: string;
  secret: string | null;
  created_at: string | number;
  paused_at: string | number | null;
  failures: string | number;
  last_error: string | null;
}

const LAST_ERROR_MAX = 500;

/** The private `notification_targets` table: the farmer area edits it, the notifier reads it and records failures. */
export class NotificationTargets {
  private ready?: Promise<void>;

  constructor(
    private readonly db: ReadModelDatabase,
    private readonly options: NotificationTargetsOptions = {},
  ) {}

  get emailEnabled(): boolean {
    return this.options.emailEnabled === true;
  }

  ensureSchema(): Promise<void> {
    this.ready ??= ensureNotificationTables(this.db).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  async list(launcherId: string): Promise<NotificationTarget[]> {
    return (await this.deliverable(launcherId)).map(({ secret: _secret, ...target }) => target);
  }

  /** Validates and stores a target. A webhook gets a fresh HMAC secret, returned here once and never again. */
  async add(launcherId: string, input: NewNotificationTarget, now: number): Promise<NotificationTarget & { secret?: string }> {
    await this.ensureSchema();
    const kind = input.kind;
    if (!NOTIFICATION_TARGET_KINDS.includes(kind)) throw new NotificationTargetError('INVALID_TARGET', `unknown target kind ${JSON.stringify(kind)}`);
    const address = validateAddress(kind, String(input.address ?? '').trim(), this.options);
    const events = validateEvents(input.events);
    const max = this.options.maxPerFarmer ?? 10;
    const existing = await this.list(launcherId);
    if (existing.length >= max) throw new NotificationTargetError('TOO_MANY_TARGETS', `at most ${max} notification targets per farmer`);
    const secret = kind === 'webhook' ? randomBytes(32).toString('hex') : null;
    const target: NotificationTarget = { id: randomUUID(), launcherId, kind, address, events, createdAt: Math.floor(now), pausedAt: null, failures: 0, lastError: null };
    await this.db.executor().query(
      `INSERT INTO notification_targets (id, launcher_id, kind, address, events, secret, created_at, paused_at, failures, last_error)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0, NULL)`,
      [target.id, launcherId, kind, address, JSON.stringify(events), secret, target.createdAt],
    );
    return secret === null ? target : { ...target, secret };
  }

  async remove(launcherId: string, id: string): Promise<boolean> {
    await this.ensureSchema();
    return this.db.transaction(async (sql) => {
      const rows = returned(await sql.query('DELETE FROM notification_targets WHERE launcher_id = ? AND id = ? RETURNING id', [launcherId, id]));
      if (rows.length > 0) await sql.query('DELETE FROM notification_outbox WHERE target_id = ? AND sent_at IS NULL', [id]);
      return rows.length > 0;
    });
  }

  /**
   * Un-pauses a target: what waited for it is tried again at once, then new notifications as usual (the last error
   * stays visible until a delivery succeeds).
   */
  async resume(launcherId: string, id: string): Promise<boolean> {
    await this.ensureSchema();
    return this.db.transaction(async (sql) => {
      const rows = returned(await sql.query('UPDATE notification_targets SET paused_at = NULL, failures = 0 WHERE launcher_id = ? AND id = ? RETURNING id', [launcherId, id]));
      if (rows.length > 0) await sql.query('UPDATE notification_outbox SET next_attempt_at = 0 WHERE target_id = ? AND sent_at IS NULL', [id]);
      return rows.length > 0;
    });
  }

  /** Every target of a farmer, secrets included: the notifier's view. */
  async deliverable(launcherId: string): Promise<DeliverableTarget[]> {
    await this.ensureSchema();
    const rows = await this.db
      .executor()
      .query<TargetRow>('SELECT * FROM notification_targets WHERE launcher_id = ? ORDER BY created_at, id', [launcherId]);
    return rows.map(fromRow);
  }

  async get(id: string): Promise<DeliverableTarget | null> {
    await this.ensureSchema();
    const [row] = await this.db.executor().query<TargetRow>('SELECT * FROM notification_targets WHERE id = ?', [id]);
    return row ? fromRow(row) : null;
  }

  async recordSuccess(id: string): Promise<void> {
    await this.ensureSchema();
    await this.db.executor().query('UPDATE notification_targets SET failures = 0, last_error = NULL WHERE id = ?', [id]);
  }

  /** Counts a failed delivery; the `pauseAfter`-th failure in a row pauses the target. Returns whether it is paused now. */
  async recordFailure(id: string, error: string, now: number, pauseAfter: number): Promise<boolean> {
    await this.ensureSchema();
    const rows = returned<{ paused_at: string | number | null }>(await this.db.executor().query(
      `UPDATE notification_targets SET failures = failures + 1, last_error = ?,
         paused_at = CASE WHEN paused_at IS NULL AND failures + 1 >= ? THEN ? ELSE paused_at END
       WHERE id = ? RETURNING paused_at`,
      [error.slice(0, LAST_ERROR_MAX), pauseAfter, Math.floor(now), id],
    ));
    const pausedAt = rows[0]?.paused_at;
    return pausedAt !== null && pausedAt !== undefined;
  }
}

function fromRow(row: TargetRow): DeliverableTarget {
  return {
    id: row.id,
    launcherId: row.launcher_id,
    kind: row.kind as NotificationTargetKind,
    address: row.address,
    events: JSON.parse(row.events) as NotificationKind[],
    createdAt: Number(row.created_at),
    pausedAt: row.paused_at === null ? null : Number(row.paused_at),
    failures: Number(row.failures),
    lastError: row.last_error,
    secret: row.secret,
  };
}

function validateEvents(events: readonly NotificationKind[] | undefined): NotificationKind[] {
  if (!Array.isArray(events)) throw new NotificationTargetError('INVALID_TARGET', 'events must be a list of notification kinds');
  for (const event of events) {
    if (!NOTIFICATION_KINDS.includes(event)) throw new NotificationTargetError('INVALID_TARGET', `unknown notification ${JSON.stringify(event)}`);
  }
  // Stored in a fixed order, each once; payout-address-changed is always sent, so it is always listed.
  return NOTIFICATION_KINDS.filter((kind) => kind === 'payout-address-changed' || events.includes(kind));
}

function validateAddress(kind: NotificationTargetKind, address: string, options: NotificationTargetsOptions): string {
  switch (kind) {
    case 'email':
      if (!options.emailEnabled) throw new NotificationTargetError('EMAIL_DISABLED', 'this pool has no e-mail server configured: choose a webhook, Discord or Telegram');
      if (address.length > 254 || !/^[^\s@<>()",;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(address)) {
        throw new NotificationTargetError('INVALID_TARGET', 'not an e-mail address');
      }
      return address;
    case 'discord': {
      const url = validateUrl(address, options, 'a Discord webhook URL');
      const discordHost = ['discord.com', 'discordapp.com', 'ptb.discord.com', 'canary.discord.com'].includes(url.hostname);
      if ((!discordHost && !options.allowLocalUrls) || !/^\/api\/webhooks\/\d+\/[A-Za-z0-9_-]+\/?$/.test(url.pathname)) {
        throw new NotificationTargetError('INVALID_TARGET', 'a Discord webhook URL looks like https://discord.com/api/webhooks/<id>/<token>');
      }
      return url.toString();
    }
    case 'telegram': {
      // A bot token holds a colon itself (`123456:ABC…`): the chat id is what follows the last one.
      const cut = address.lastIndexOf(':');
      const token = address.slice(0, cut);
      const chat = address.slice(cut + 1);
      if (cut < 0 || !/^\d{3,15}:[A-Za-z0-9_-]{20,64}$/.test(token) || !/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/.test(chat)) {
        throw new NotificationTargetError('INVALID_TARGET', 'a Telegram target is <botToken>:<chatId>, e.g. 123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11:-1001234567890');
      }
      return `${token}:${chat}`;
    }
    case 'webhook':
      return validateUrl(address, options, 'a webhook URL').toString();
  }
}

/**
 * https only, no credentials in the URL, and no address of the pool's own network: the pool posts to whatever
 * a farmer types here, so a loopback or private address would let a farmer probe services behind the pool.
 * Names are checked when delivering too (see the transports), as DNS may point anywhere later.
 */
function validateUrl(address: string, options: NotificationTargetsOptions, what: string): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new NotificationTargetError('INVALID_TARGET', `not ${what}`);
  }
  if (address.length > 500) throw new NotificationTargetError('INVALID_TARGET', `${what} is at most 500 characters`);
  if (url.username || url.password) throw new NotificationTargetError('INVALID_TARGET', `${what} must not carry a user name or password`);
  if (options.allowLocalUrls) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new NotificationTargetError('INVALID_TARGET', `${what} must be http(s)`);
    return url;
  }
  if (url.protocol !== 'https:') throw new NotificationTargetError('INVALID_TARGET', `${what} must start with https://`);
  if (isPrivateHost(url.hostname)) throw new NotificationTargetError('INVALID_TARGET', `${what} must point to a public host`);
  return url;
}

/** Loopback, private, link-local and unique-local addresses, and names that are only local. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal') || !host.includes('.') && isIP(host) === 0) return true;
  if (isIP(host) === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  if (isIP(host) === 6) {
    if (host === '::' || host === '::1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    if (mapped) return isPrivateHost(mapped[1]!);
    // The URL parser writes an IPv4-mapped address in hex (::ffff:7f00:1 for 127.0.0.1).
    const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (hexMapped) {
      const [high, low] = [parseInt(hexMapped[1]!, 16), parseInt(hexMapped[2]!, 16)];
      return isPrivateHost(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
    }
    return /^(fc|fd|fe8|fe9|fea|feb|ff)/.test(host);
  }
  return false;
}
