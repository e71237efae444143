import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The dependency rules are lint rules (eslint.boundaries.mjs); this proves they bite: each probe is a file that
 * imports across a boundary, linted with the project's own config as if it stood at that path, next to a probe
 * that is allowed. ESLint runs in a child process because its flat config is an ES module.
 */
interface Probe {
  file: string;
  source: string;
}

const ROOT = join(__dirname, '..', '..');

function restrictedImports(probes: readonly Probe[]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const eslint = new ESLint({ cwd: process.cwd() });
    const probes = JSON.parse(process.argv[1]);
    const out = [];
    for (const { file, source } of probes) {
      const [result] = await eslint.lintText(source, { filePath: file });
      out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
    }
    console.log(JSON.stringify(out));`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(probes)], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(stdout) as string[][];
}

const use = (specifier: string, name = 'x'): string => `import { ${name} } from '${specifier}';\nexport const probe = ${name};\n`;

const FORBIDDEN: Probe[] = [
  { file: 'apps/api/src/probe.ts', source: use('@pool/worker') },
  { file: 'apps/api/src/probe.ts', source: use('@pool/devnet') },
  { file: 'apps/worker/src/probe.ts', source: use('@pool/api') },
  { file: 'apps/projector/src/probe.ts', source: use('../../api/src/api-server') },
  { file: 'apps/api/src/probe.ts', source: use('@pool/domain/payouts/payout-ledger') },
  { file: 'libs/domain/src/probe.ts', source: use('@pool/event-store') },
  { file: 'libs/domain/src/probe.ts', source: use('node:fs', 'readFileSync') },
  { file: 'libs/domain/src/probe.ts', source: use('@pool/chia', 'FullNodeRpcClient') },
  { file: 'libs/domain/src/probe.ts', source: use('@nestjs/common', 'Injectable') },
  { file: 'libs/event-sourcing/src/probe.ts', source: use('@pool/domain') },
  { file: 'libs/projections/src/probe.ts', source: use('@pool/runtime') },
  { file: 'infra/runtime/src/probe.ts', source: use('@pool/worker') },
  { file: 'infra/read-models/src/probe.ts', source: use('@pool/projections') },
  { file: 'libs/domain/src/payouts/probe.ts', source: use('../../../../test/support/synthetic-ledger') },
  { file: 'apps/worker/src/probe.ts', source: use('@pool/testing') },
];

const ALLOWED: Probe[] = [
  { file: 'apps/api/src/probe.ts', source: use('@pool/domain') },
  { file: 'apps/worker/src/probe.ts', source: use('@pool/commands') },
  { file: 'apps/poolctl/src/probe.ts', source: use('@pool/api') },
  { file: 'apps/poolctl/src/probe.ts', source: use('@pool/devnet') },
  { file: 'libs/domain/src/probe.ts', source: use('@pool/event-sourcing') },
  { file: 'libs/domain/src/probe.ts', source: use('@pool/chia', 'coinId') },
  { file: 'libs/projections/src/probe.ts', source: use('@pool/read-models') },
  { file: 'apps/api/src/probe.spec.ts', source: use('@pool/devnet') },
  { file: 'test/e2e/probe.e2e-spec.ts', source: use('@pool/worker') },
];

describe('dependency rules (eslint.boundaries.mjs)', () => {
  let forbidden: string[][];
  let allowed: string[][];

  beforeAll(() => {
    const results = restrictedImports([...FORBIDDEN, ...ALLOWED]);
    forbidden = results.slice(0, FORBIDDEN.length);
    allowed = results.slice(FORBIDDEN.length);
  });

  it.each(FORBIDDEN.map((probe, i) => [probe.file, probe.source.split('\n')[0], i] as const))('refuses %s: %s', (_file, _line, i) => {
    expect(forbidden[i]).toHaveLength(1);
  });

  it.each(ALLOWED.map((probe, i) => [probe.file, probe.source.split('\n')[0], i] as const))('allows %s: %s', (_file, _line, i) => {
    expect(allowed[i]).toEqual([]);
  });
});
