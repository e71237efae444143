import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@pool/config';
import { openEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { buildProgram } from '../program';

/** `poolctl --config pool.yaml <command>`: the file reaches every command, and a bad file stops it before anything starts. */
describe('poolctl --config', () => {
  let dir: string;
  const saved = process.env.POOL_CONFIG_FILE;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'poolctl-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    if (saved === undefined) delete process.env.POOL_CONFIG_FILE;
    else process.env.POOL_CONFIG_FILE = saved;
  });

  it('refuses to start with a config whose errors name their keys', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'payouts:\n  minimum_payout: -1\nserver:\n  prot: 80\n');
    const run = buildProgram().exitOverride().parseAsync(['node', 'poolctl', 'start', '--config', file]);
    await expect(run).rejects.toThrow(ConfigError);
    await expect(buildProgram().exitOverride().parseAsync(['node', 'poolctl', '--config', file, 'start'])).rejects.toThrow(
      /payouts\.minimum_payout: must be a non-negative integer of mojos\n {2}server\.prot: unknown key/,
    );
  });

  it("uses the file's storage URLs in every command", async () => {
    const file = join(dir, 'pool.yaml');
    const events = join(dir, 'from-config-events.db');
    writeFileSync(file, `storage:\n  event_store_url: "sqlite:${events}"\n  read_models_url: "sqlite:${join(dir, 'from-config-views.db')}"\n`);
    // A read-only command names the file it was sent to (and creates nothing there)...
    await expect(buildProgram().parseAsync(['node', 'poolctl', 'projections', 'status', '--config', file])).rejects.toThrow(/no read models at .*from-config-views\.db/);
    expect(existsSync(events)).toBe(false);
    // ... and reads it once the pool has made it.
    await (await openEventStore(`sqlite:${events}`)).close();
    await (await ReadModelDatabase.open(`sqlite:${join(dir, 'from-config-views.db')}`)).close();
    const output: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void output.push(line));
    try {
      await buildProgram().parseAsync(['node', 'poolctl', 'projections', 'status', '--config', file]);
    } finally {
      log.mockRestore();
    }
    expect(output[0]).toMatch(/^projection\tversion/);
    expect(output.some((line) => line.startsWith('farmer_points\t'))).toBe(true);
  });
});
