import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiServer } from '@pool/api';
import { FullNodeRpcClient, type FullNodeRpc } from '@pool/chia';
import { loadPoolConfig } from '@pool/config';
import { SqliteEventStore } from '@pool/event-store';
import { StreamNotFoundError, type GlobalPosition } from '@pool/event-sourcing';
import { buildProgram } from '@pool/poolctl';
import { allProjections } from '@pool/projections';
import { activeGeneration, Projector, projectorProgress, ReadModelDatabase, tableContentHash } from '@pool/read-models';
import { refusalStream, type PartialRefused } from '@pool/domain';
import { apiDepsWithoutChain, syntheticLauncherId, syntheticLedger, type SyntheticBatch } from '@pool/testing';

/**
 * The pool's data directory on a small file system of its own that is filled up and freed again: the ledger refuses
 * appends with a clear error and stores nothing of them, the projector's failing batches roll back and release the
 * read-model file's write lock, /health/ready says why it is not ready, and once space is back the append succeeds,
 * the projector resumes from its checkpoints, the read models equal a clean rebuild and the audit passes.
 */

const DISK_BYTES = 24 * 1024 * 1024;

/** Mounts a small file system at `dir`: tmpfs, else a loop-mounted ext4 image; the reason when neither works. */
function mountSmallDisk(dir: string, image: string): { unmount: () => void } | { reason: string } {
  const failures: string[] = [];
  const attempt = (what: string, commands: [string, string[]][]): boolean => {
    try {
      for (const [command, args] of commands) execFileSync(command, args, { stdio: 'pipe' });
      return true;
    } catch (error) {
      failures.push(`${what}: ${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim().split('\n')[0]}`);
      return false;
    }
  };
  const unmount = (): void => {
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' }); // still busy: detach now, freed when the last file closes
    }
  };
  if (attempt('tmpfs', [['mount', ['-t', 'tmpfs', '-o', `size=${DISK_BYTES}`, 'tmpfs', dir]]])) return { unmount };
  if (
    attempt('loop ext4', [
      ['truncate', ['-s', String(DISK_BYTES), image]],
      ['mkfs.ext4', ['-q', '-F', image]],
      ['mount', ['-o', 'loop', image, dir]],
    ])
  ) {
    return { unmount };
  }
  return { reason: `cannot mount a small file system here (${failures.join('; ')})` };
}

/** Writes zeros into `path` until the file system refuses more (ENOSPC), down to the last byte. */
function fillDisk(path: string): void {
  const fd = openSync(path, 'w');
  try {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 1 << 8, 1]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Empties the WAL into the database file and truncates it, so the next commit must allocate new space. */
function truncateWal(path: string): void {
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/** Whether another connection can take the read-model file's write lock within a few tries (the projector waits between them). */
function anotherWriterCanLock(path: string): boolean {
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 200');
    for (let attempt = 0; attempt < 15; attempt++) {
      try {
        db.exec('BEGIN IMMEDIATE');
        db.exec('ROLLBACK');
        return true;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      }
    }
    return false;
  } finally {
    db.close();
  }
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A node that is synced, so readiness depends on the ledger and the projector alone. */
function syncedChain(): FullNodeRpc {
  const methods = new Set(Object.getOwnPropertyNames(FullNodeRpcClient.prototype));
  return new Proxy({} as FullNodeRpc, {
    get: (_target, method) => {
      if (method === 'getBlockchainState') return () => Promise.resolve({ peak: { height: 100 }, sync: { synced: true, syncMode: false } });
      return typeof method === 'string' && methods.has(method) && method !== 'constructor' ? () => Promise.reject(new Error(`no chain here: ${method}`)) : undefined;
    },
  });
}

/** Content hashes of every table of every projection, through the views the readers use. */
async function readModelHashes(db: ReadModelDatabase): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const projection of allProjections) {
    for (const table of projection.tables) hashes[table.name] = await tableContentHash(db.executor(), table.name, table.primaryKey);
  }
  return hashes;
}

describe('a full disk under the data directory', () => {
  let dataDir: string;
  let disk: string;
  let skipReason: string | undefined;
  let unmount: (() => void) | undefined;
  let store: SqliteEventStore | undefined;
  let readModels: ReadModelDatabase | undefined;
  let apiReadModels: ReadModelDatabase | undefined;
  let rebuilt: ReadModelDatabase | undefined;
  let app: NestFastifyApplication | undefined;
  let live: AbortController | undefined;
  let running: Promise<void> | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pool-full-disk-'));
    disk = join(dataDir, 'data');
    mkdirSync(disk);
    const mounted = mountSmallDisk(disk, join(dataDir, 'disk.img'));
    if ('reason' in mounted) {
      skipReason = mounted.reason;
      console.log(`[skip] full-disk test: ${skipReason}`);
    } else {
      unmount = mounted.unmount;
    }
  });

  afterAll(async () => {
    live?.abort();
    await running?.catch(() => undefined);
    await app?.close().catch(() => undefined);
    for (const db of [readModels, apiReadModels, rebuilt]) await db?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    try {
      unmount?.();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses appends cleanly, rolls projector batches back, reports not ready, then resumes and rebuilds to the same state', async () => {
    if (skipReason !== undefined) {
      console.log(`[skip] full-disk test: ${skipReason}`);
      return;
    }
    const ledgerPath = join(disk, 'events.db');
    const readModelsPath = join(disk, 'read-models.db');
    store = new SqliteEventStore({ path: ledgerPath });
    readModels = await ReadModelDatabase.open(`sqlite:${readModelsPath}`);
    // The api's own connection, as a separate api process has.
    apiReadModels = await ReadModelDatabase.open(`sqlite:${readModelsPath}`);

    // The generator plans each payout from the events appended before it: each batch is built as it is appended.
    const ledger = syntheticLedger({ farmers: 30, payouts: 8, partialsPerPayout: 60, batchSize: 40, seed: 5 })[Symbol.iterator]();
    let last: GlobalPosition | undefined;
    const appendBatches = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const next = ledger.next();
        if (next.done) return;
        const batch: SyntheticBatch = next.value;
        last = (await store!.append(batch.stream, batch.events(last).map((e) => ({ id: randomUUID(), ...e })), { expectedRevision: 'any' })).position;
      }
    };
    await appendBatches(25);

    const warnings: string[] = [];
    const projector = new Projector(store, readModels, allProjections, {
      batchSize: 100,
      logger: { log: () => undefined, warn: (line) => void warnings.push(line) },
      retry: { initialDelayMs: 100, maxDelayMs: 400 },
    });
    /** Starts the live projector; resolves when it first catches up. */
    const follow = (): Promise<void> => {
      live = new AbortController();
      let caughtUp!: () => void;
      const first = new Promise<void>((resolve) => (caughtUp = resolve));
      running = projector.run(live.signal, () => caughtUp());
      return first;
    };
    await follow();

    const config = { ...loadPoolConfig({}), port: 0, host: '127.0.0.1', projectionsStalledAfterSeconds: 1 };
    app = await createApiServer({ ...(await apiDepsWithoutChain(config, store, apiReadModels)), chain: syncedChain() }, false);
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    const ready = async (): Promise<{ status: number; body: { error?: Record<string, { status: string; reason?: string }> } }> => {
      const response = await fetch(`${url}/health/ready`);
      return { status: response.status, body: (await response.json()) as { error?: Record<string, { status: string; reason?: string }> } };
    };
    expect((await ready()).status).toBe(200);

    // The projector stops (as a restart would); the second half of the ledger is written; then the disk fills up.
    live!.abort();
    await running;
    await appendBatches(Number.POSITIVE_INFINITY);
    const checkpointsBefore = await Promise.all(allProjections.map(async (p) => (await activeGeneration(readModels!.executor(), p.name))?.position));
    const headBefore = await store.headPosition();
    truncateWal(ledgerPath);
    truncateWal(readModelsPath);
    fillDisk(join(disk, 'filler'));

    // The ledger: the append (the api logging a refused partial) is refused with an error that says why, and
    // nothing of it is stored.
    const refusal: PartialRefused = {
      type: 'PartialRefused',
      data: {
        launcherId: syntheticLauncherId(3),
        harvesterId: 'e'.repeat(64),
        proofHash: null,
        signagePointHash: 'f'.repeat(64),
        endOfSubSlot: false,
        errorCode: 7,
        reason: 'the aggregate signature does not verify',
        receivedAt: 1_800_000_000,
        protocolVersion: 1,
      },
    };
    const refused = { stream: refusalStream(refusal.data.launcherId) };
    const events = [{ id: randomUUID(), ...refusal }];
    const failure = await store.append(refused.stream, events, { expectedRevision: 'no_stream' }).then(
      () => undefined,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(failure?.message).toMatch(/ledger at .*events\.db could not be written \(the disk is full, SQLITE_FULL\); nothing of this append was stored/);
    expect(failure?.code).toBe('SQLITE_FULL');
    expect(await store.headPosition()).toBe(headBefore);
    await expect(store.readStream(refused.stream)).rejects.toBeInstanceOf(StreamNotFoundError);

    // The projector: its batches fail with the disk full and roll back. Before the fix the connection stayed inside
    // a transaction that never ended: the file stayed write-locked for every other process, and this connection
    // showed checkpoints and rows that were never stored while the projector believed its batches committed.
    void follow(); // it cannot catch up while the disk is full
    await until('a projector batch fails', () => warnings.length >= 1);
    expect(warnings[0]).toMatch(/rolled back; resuming from the checkpoints in \d+ ms: .*database or disk is full/);
    // The wedge formed on the attempts after the first failure: let the projector retry a few times first.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(anotherWriterCanLock(readModelsPath)).toBe(true);
    const positions = (db: ReadModelDatabase): Promise<(string | null | undefined)[]> =>
      Promise.all(allProjections.map(async (p) => (await activeGeneration(db.executor(), p.name))?.position));
    expect(await positions(readModels)).toEqual(checkpointsBefore);
    expect(await positions(apiReadModels)).toEqual(checkpointsBefore);
    await until('batches keep failing, with backoff', () => projector.health.consecutiveFailures >= 3, 10_000);
    expect(projector.health.lastError).toMatch(/database or disk is full/);
    expect(await positions(readModels)).toEqual(checkpointsBefore);

    // Readiness: not ready, saying that the ledger cannot be written and that the projector is stuck.
    await until('/health/ready reports the ledger and the projector', async () => {
      const { status, body } = await ready();
      return status === 503 && body.error?.eventStore?.status === 'down' && body.error?.projections?.status === 'down';
    });
    const notReady = await ready();
    expect(notReady.body.error?.eventStore?.reason).toBe('the ledger cannot be written');
    expect(notReady.body.error?.projections?.reason).toMatch(/events have waited over 1 s for the projector and no checkpoint moved/);

    // Space is back: the same append succeeds, the projector resumes from its checkpoints and catches up.
    unlinkSync(join(disk, 'filler'));
    await store.append(refused.stream, events, { expectedRevision: 'no_stream' });
    await until('the projector caught up', async () => (await projectorProgress(store!, readModels!, allProjections)).oldestWaitingAt === undefined);
    expect(projector.health.consecutiveFailures).toBe(0);
    await until('/health/ready answers 200', async () => (await ready()).status === 200);
    expect(anotherWriterCanLock(readModelsPath)).toBe(true);

    // Rebuild equals live: a clean build of the whole ledger gives the same tables.
    live!.abort();
    await running;
    rebuilt = await ReadModelDatabase.open(`sqlite:${join(dataDir, 'rebuilt.db')}`);
    const clean = new AbortController();
    await new Projector(store, rebuilt, allProjections).run(clean.signal, () => clean.abort());
    expect(await readModelHashes(readModels)).toEqual(await readModelHashes(rebuilt));

    // And the ledger audits.
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    const previousExitCode = process.exitCode;
    process.exitCode = 0;
    try {
      await buildProgram().parseAsync(['node', 'poolctl', 'audit', '--store', `sqlite:${ledgerPath}`]);
      expect(Number(process.exitCode ?? 0)).toBe(0);
    } finally {
      process.exitCode = previousExitCode;
      log.mockRestore();
    }
    expect(lines[lines.length - 1]).toMatch(/^audit passed: \d+ ledger events, 8 payouts, 0 mismatches, 0 problems\b/);
  });
});
