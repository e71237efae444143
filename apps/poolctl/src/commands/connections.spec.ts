import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allProjections } from '@pool/projections';
import { DEVNET_CHIA_ROOT } from '../devnet/devnet-data-dir';
import { projectionsFor } from './connections';

describe('projectionsFor', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'poolctl-projections-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("uses the real network's projections for read models outside a devnet data directory", () => {
    expect(projectionsFor({ readModelsUrl: `sqlite:${join(dir, 'read-models.db')}` })).toBe(allProjections);
    expect(projectionsFor({ readModelsUrl: 'postgres://postgres@127.0.0.1/pool' })).toBe(allProjections);
  });

  it('rebuilds a devnet run’s read models with the devnet constants, as the run built them', () => {
    mkdirSync(join(dir, DEVNET_CHIA_ROOT));
    const projections = projectionsFor({ readModelsUrl: `sqlite:${join(dir, 'read-models.db')}` });
    expect(projections).not.toBe(allProjections);
    expect(projections.map((p) => p.name)).toEqual(allProjections.map((p) => p.name));
  });
});
