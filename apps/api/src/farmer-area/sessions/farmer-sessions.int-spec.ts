import { ReadModelDatabase } from '@pool/read-models';
import { describeWithPostgres, dropSchema, testSchema } from '@pool/testing';
import { LoginSessions } from '../../pool-protocol/authentication/login-session';
import { FarmerSessions, MAX_SESSIONS_PER_FARMER } from './farmer-sessions';

const A = 'aa'.repeat(32);
const B = 'bb'.repeat(32);
const cookies = new LoginSessions('42'.repeat(32), 600);

/** The private farmer_sessions table on both read-model databases: it is created at first use, never by a projection. */
function sessionSpecs(open: () => Promise<ReadModelDatabase>, close: (db: ReadModelDatabase) => Promise<void>): void {
  let db: ReadModelDatabase;
  let sessions: FarmerSessions;
  beforeEach(async () => {
    db = await open();
    sessions = new FarmerSessions(db);
  });
  afterEach(() => close(db));

  it('opens sessions per farmer, lists them newest first without their ids, and ends one or all', async () => {
    const first = cookies.issue(A, 1000).session;
    const second = cookies.issue(A, 1010).session;
    const other = cookies.issue(B, 1010).session;
    await sessions.open(first, 1000, 'browser one');
    await sessions.open(second, 1010, 'x'.repeat(500));
    await sessions.open(other, 1010, undefined);
    const listed = await sessions.list(second, 1020);
    expect(listed.map((s) => [s.handle, s.current, s.userAgent?.length])).toEqual([
      [FarmerSessions.handle(second), true, 200],
      [FarmerSessions.handle(first), false, 11],
    ]);
    expect(JSON.stringify(listed)).not.toContain(first.sessionId);

    // A handle of another farmer's session ends nothing.
    expect(await sessions.end(A, FarmerSessions.handle(other), 1030)).toBe(false);
    expect(await sessions.end(A, FarmerSessions.handle(first), 1030)).toBe(true);
    expect(await sessions.isOpen(first, 1031)).toBe(false);
    expect(await sessions.isOpen(second, 1031)).toBe(true);
    expect(await sessions.endAll(A, 1040)).toBe(1);
    expect(await sessions.isOpen(second, 1041)).toBe(false);
    expect(await sessions.isOpen(other, 1041)).toBe(true);
  });

  it('refuses a session it never recorded, and one past its expiry', async () => {
    const unrecorded = cookies.issue(A, 1000).session;
    expect(await sessions.isOpen(unrecorded, 1001)).toBe(false);
    const recorded = cookies.issue(A, 1000).session;
    await sessions.open(recorded, 1000, undefined);
    expect(await sessions.isOpen(recorded, 1599)).toBe(true);
    expect(await sessions.isOpen(recorded, 1600)).toBe(false);
  });

  it(`keeps at most ${MAX_SESSIONS_PER_FARMER} open sessions per farmer, ending the oldest`, async () => {
    const opened = [];
    for (let i = 0; i <= MAX_SESSIONS_PER_FARMER; i++) {
      const session = cookies.issue(A, 1000 + i).session;
      await sessions.open(session, 1000 + i, undefined);
      opened.push(session);
    }
    expect(await sessions.isOpen(opened[0]!, 1100)).toBe(false);
    expect(await sessions.isOpen(opened[1]!, 1100)).toBe(true);
    expect(await sessions.list(opened[1]!, 1100)).toHaveLength(MAX_SESSIONS_PER_FARMER);
  });
}

describe('farmer sessions (SQLite)', () => {
  sessionSpecs(
    () => ReadModelDatabase.open('sqlite::memory:'),
    (db) => db.close(),
  );
});

describeWithPostgres('farmer sessions (PostgreSQL)', (url) => {
  const schemas = new Map<ReadModelDatabase, string>();
  sessionSpecs(
    async () => {
      const schema = testSchema('sessions');
      const db = await ReadModelDatabase.open(`${url}?schema=${schema}`);
      schemas.set(db, schema);
      return db;
    },
    async (db) => {
      await db.close();
      await dropSchema(url, schemas.get(db)!);
    },
  );
});
