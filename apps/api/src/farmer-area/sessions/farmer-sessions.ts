import { createHash } from 'node:crypto';
import { type ReadModelDatabase } from '@pool/read-models';
import type { LoginSession } from '../../pool-protocol/authentication/login-session';

/** A farmer's session as the farmer area lists it: never the session id itself, which is as good as the cookie. */
export interface FarmerSessionView {
  /** A short public name of the session (from a hash of its id): what "end this session" names. */
  handle: string;
  createdAt: number;
  expiresAt: number;
  /** The browser it was opened in, as it described itself (shortened). */
  userAgent: string | null;
  current: boolean;
}

/** Sessions open at once per farmer; opening one more ends the oldest. */
export const MAX_SESSIONS_PER_FARMER = 20;
/** Ended and expired sessions stay listed (then deleted) this long, so a farmer sees what was ended. */
const KEEP_ENDED_SECONDS = 24 * 3600;
const USER_AGENT_MAX = 200;

// Private operational data (which browser a farmer logs in from): a table of the read-model database that is no
// projection, so a rebuild never drops it, and never a ledger event, since the ledger is public.
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS farmer_sessions (
    id_hash varchar(64) NOT NULL PRIMARY KEY,
    launcher_id varchar(64) NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    ended_at bigint,
    user_agent varchar(${USER_AGENT_MAX})
  )`,
  'CREATE INDEX IF NOT EXISTS farmer_sessions_launcher ON farmer_sessions (launcher_id)',
];

interface SessionRow {
  id_hash: string;
  created_at: string | number;
  expires_at: string | number;
  ended_at: string | number | null;
  user_agent: string | null;
}

/** Only a hash of the session id is stored: a copy of the table opens no session. */
const idHash = (sessionId: string): string => createHash('sha256').update(sessionId).digest('hex');
const handleOf = (hash: string): string => hash.slice(0, 16);

/**
 * The farmer_sessions table: every session a login link opened, so a farmer can list its sessions and end one or all
 * of them, and a cookie whose session was ended is refused although its signature and expiry still hold.
 */
export class FarmerSessions {
  private ready?: Promise<void>;

  constructor(private readonly db: ReadModelDatabase) {}

  ensureSchema(): Promise<void> {
    this.ready ??= (async () => {
      await this.db.createTablesIfMissing(SCHEMA);
    })().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** Records a session just issued; past MAX_SESSIONS_PER_FARMER open ones, the oldest are ended. */
  async open(session: LoginSession, now: number, userAgent: string | undefined): Promise<void> {
    await this.ensureSchema();
    const sql = this.db.executor();
    await sql.query('DELETE FROM farmer_sessions WHERE launcher_id = ? AND (expires_at < ? OR ended_at < ?)', [session.launcherId, now - KEEP_ENDED_SECONDS, now - KEEP_ENDED_SECONDS]);
    await sql.query('INSERT INTO farmer_sessions (id_hash, launcher_id, created_at, expires_at, ended_at, user_agent) VALUES (?, ?, ?, ?, NULL, ?)', [
      idHash(session.sessionId),
      session.launcherId,
      Math.floor(now),
      session.expiresAt,
      userAgent === undefined ? null : userAgent.slice(0, USER_AGENT_MAX),
    ]);
    const open = await this.openRows(session.launcherId, now);
    for (const row of open.slice(MAX_SESSIONS_PER_FARMER)) await sql.query('UPDATE farmer_sessions SET ended_at = ? WHERE id_hash = ?', [Math.floor(now), row.id_hash]);
  }

  /** Whether the session (already proven by its signed cookie) is still open: recorded, not ended, not expired. */
  async isOpen(session: LoginSession, now: number): Promise<boolean> {
    await this.ensureSchema();
    const rows = await this.db
      .executor()
      .query<SessionRow>('SELECT id_hash FROM farmer_sessions WHERE id_hash = ? AND launcher_id = ? AND ended_at IS NULL AND expires_at > ?', [
        idHash(session.sessionId),
        session.launcherId,
        Math.floor(now),
      ]);
    return rows.length > 0;
  }

  /** The farmer's open sessions, newest first, the one asking marked. */
  async list(session: LoginSession, now: number): Promise<FarmerSessionView[]> {
    await this.ensureSchema();
    const mine = idHash(session.sessionId);
    return (await this.openRows(session.launcherId, now)).map((row) => ({
      handle: handleOf(row.id_hash),
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      userAgent: row.user_agent,
      current: row.id_hash === mine,
    }));
  }

  /** Ends one of the farmer's sessions by its handle (this one's own, or another); false when there is none open. */
  async end(launcherId: string, handle: string, now: number): Promise<boolean> {
    await this.ensureSchema();
    if (!/^[0-9a-f]{16}$/.test(handle)) return false;
    const rows = await this.db
      .executor()
      .query<SessionRow>('SELECT id_hash FROM farmer_sessions WHERE launcher_id = ? AND ended_at IS NULL AND id_hash LIKE ?', [launcherId, `${handle}%`]);
    for (const row of rows) await this.db.executor().query('UPDATE farmer_sessions SET ended_at = ? WHERE id_hash = ?', [Math.floor(now), row.id_hash]);
    return rows.length > 0;
  }

  /** Ends every open session of the farmer (this one included): "log out everywhere". Returns how many. */
  async endAll(launcherId: string, now: number): Promise<number> {
    await this.ensureSchema();
    const open = await this.openRows(launcherId, now);
    await this.db.executor().query('UPDATE farmer_sessions SET ended_at = ? WHERE launcher_id = ? AND ended_at IS NULL', [Math.floor(now), launcherId]);
    return open.length;
  }

  /** The handle of a session (what the list shows for it). */
  static handle(session: LoginSession): string {
    return handleOf(idHash(session.sessionId));
  }

  private openRows(launcherId: string, now: number): Promise<SessionRow[]> {
    return this.db
      .executor()
      .query<SessionRow>(
        'SELECT id_hash, created_at, expires_at, ended_at, user_agent FROM farmer_sessions WHERE launcher_id = ? AND ended_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id_hash',
        [launcherId, Math.floor(now)],
      );
  }
}
