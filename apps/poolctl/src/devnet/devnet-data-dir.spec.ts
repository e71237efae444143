import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVNET_CHIA_ROOT, prepareDevnetDataDir, PREVIOUS_RUNS } from './devnet-data-dir';

describe('prepareDevnetDataDir', () => {
  let dir: string;
  const urls = (): { eventStoreUrl: string; readModelsUrl: string } => ({
    eventStoreUrl: `sqlite:${join(dir, 'events.db')}`,
    readModelsUrl: `sqlite:${join(dir, 'read-models.db')}`,
  });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'devnet-data-dir-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves an empty or missing directory alone', () => {
    expect(prepareDevnetDataDir(dir, urls())).toEqual([]);
    expect(prepareDevnetDataDir(join(dir, 'not-yet'), { eventStoreUrl: `sqlite:${join(dir, 'not-yet', 'events.db')}`, readModelsUrl: 'sqlite::memory:' })).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("moves an earlier devnet run's SQLite files, WAL included, aside and keeps its certificates", () => {
    mkdirSync(join(dir, DEVNET_CHIA_ROOT));
    for (const name of ['events.db', 'events.db-wal', 'events.db-shm', 'read-models.db', 'unrelated.txt']) writeFileSync(join(dir, name), name);
    const notes = prepareDevnetDataDir(dir, urls(), new Date('2026-11-21T23:00:00.123Z'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/previous run's ledger .* moved to .*2026-11-21T23-00-00-123Z/);
    const moved = join(dir, PREVIOUS_RUNS, '2026-11-21T23-00-00-123Z');
    expect(readdirSync(moved).sort()).toEqual(['events.db', 'events.db-shm', 'events.db-wal', 'read-models.db']);
    expect(readdirSync(dir).sort()).toEqual([DEVNET_CHIA_ROOT, PREVIOUS_RUNS, 'unrelated.txt']);
  });

  it('refuses a directory whose ledger no devnet run made', () => {
    writeFileSync(join(dir, 'events.db'), 'a real pool');
    expect(() => prepareDevnetDataDir(dir, urls())).toThrow(/no devnet run made/);
    expect(existsSync(join(dir, 'events.db'))).toBe(true);
  });

  it('hides the password of a store URL it names', () => {
    mkdirSync(join(dir, DEVNET_CHIA_ROOT));
    const notes = prepareDevnetDataDir(dir, { eventStoreUrl: 'postgres://pool:s3cret@db.example/pool?schema=a', readModelsUrl: 'sqlite::memory:' });
    expect(notes.join('\n')).not.toContain('s3cret');
    expect(notes.join('\n')).toContain('postgres://pool:***@db.example/pool?schema=a');
  });

  it('says so when the ledger is not a SQLite file it could move', () => {
    mkdirSync(join(dir, DEVNET_CHIA_ROOT));
    const notes = prepareDevnetDataDir(dir, { eventStoreUrl: 'postgres://postgres@127.0.0.1/pool', readModelsUrl: `sqlite:${join(dir, 'read-models.db')}` });
    expect(notes).toEqual([expect.stringMatching(/postgres:\/\/.* is not a SQLite file .* must hold no ledger yet/)]);
  });
});
