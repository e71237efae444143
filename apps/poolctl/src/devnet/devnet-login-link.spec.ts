import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBls } from '@pool/chia';
import { farmerStream } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { registeredFarmerData } from '@pool/testing';
import { devnetLoginLink, devnetNow, readDevnetClock, writeDevnetClock } from './devnet-login-link';

const LAUNCHER = 'ab'.repeat(32);

describe('poolctl devnet login-link', () => {
  it("reads the running devnet's clock from its data directory: ahead of the wall clock by its speed", () => {
    const dir = mkdtempSync(join(tmpdir(), 'devnet-clock-'));
    try {
      const remove = writeDevnetClock(dir, { poolUrl: 'http://localhost:8080', speed: 10, realMs: 1_000_000, devnetMs: 5_000_000, pid: 1 });
      const note = readDevnetClock(dir)!;
      expect(note.poolUrl).toBe('http://localhost:8080');
      expect(devnetNow(note, 1_060_000)).toBe(5_600); // 60 real seconds at x10
      remove();
      expect(readDevnetClock(dir)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names an unknown launcher, and one no devnet farmer holds the key of', async () => {
    const bls = await loadBls();
    const store = new InMemoryEventStore();
    const options = { store, bls, launcherId: LAUNCHER, poolUrl: 'http://127.0.0.1:1', now: 1_800_000_000, seeds: 3 };
    await expect(devnetLoginLink(options)).rejects.toThrow(/unknown farmer/);
    await store.append(farmerStream(LAUNCHER), [{ id: '00000000-0000-4000-8000-000000000001', type: 'FarmerRegistered', data: registeredFarmerData({ launcherId: LAUNCHER, puzzleHash: 'b1'.repeat(32) }) }], {
      expectedRevision: 'no_stream',
    });
    await expect(devnetLoginLink(options)).rejects.toThrow(/none of the first 3 devnet farmers/);
  });
});
