import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../program';
import { packageVersion } from './version';
import { runPoolctl } from '@pool/testing';

/** poolctl with `env` as its whole environment (none by default: the config comes from the flags alone). */
const poolctl = (args: string[], env: NodeJS.ProcessEnv = {}) => runPoolctl(args, env);


describe('poolctl --version and config check', () => {
  let dir: string;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'poolctl-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the package version', async () => {
    const version = (JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as { version: string }).version;
    expect(packageVersion()).toBe(version);
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    try {
      await expect(buildProgram().parseAsync(['node', 'poolctl', '--version'])).rejects.toThrow('exit 0');
      expect(write).toHaveBeenCalledWith(`${version}\n`);
    } finally {
      write.mockRestore();
      exit.mockRestore();
    }
  });

  it('refuses the placeholder secrets of pool.example.yaml (it names a full node), and accepts it once they are replaced', async () => {
    const example = join(__dirname, '../../../../pool.example.yaml');
    const shipped = await poolctl(['config', 'check', '--config', example]);
    expect(shipped.exitCode).toBe(1);
    expect(shipped.lines[0]).toMatch(/^config INVALID: .*pool\.example\.yaml: \d+ problems?$/);
    expect(shipped.lines.some((l) => l.trim().startsWith('pool.jwt_secret_hex: '))).toBe(true);

    const random = (label: string): string => createHash('sha256').update(`config-check spec: ${label}`).digest('hex');
    const filled = readFileSync(example, 'utf8')
      .replace(/^(\s*target_puzzle_hash: ).*$/m, `$1"0x${random('example target')}"`)
      .replace(/^(\s*jwt_secret_hex: ).*$/m, `$1"${random('example jwt')}"`);
    const edited = await poolctl(['config', 'check', '--config', file('edited.yaml', filled)]);
    expect(edited.lines[edited.lines.length - 1]).toBe(`config OK: ${join(dir, 'edited.yaml')}`);
    expect(edited.exitCode).toBe(0);
  });

  it('reports every problem of the file and of the environment at once, with exit code 1', async () => {
    const bad = file('bad.yaml', 'pool:\n  fee_basis_points: -3\n  colour: blue\npayouts:\n  minimum_payot: 5\n');
    const { lines, exitCode } = await poolctl(['--config', bad, 'config', 'check'], { POOL_LOG_LEVEL: 'loud', POOL_OPERATOR_API_KEY: 'short' });
    expect(exitCode).toBe(1);
    expect(lines[0]).toBe(`config INVALID: ${bad}: 5 problems`);
    const problems = lines.slice(1).map((l) => l.trim());
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pool\.fee_basis_points: /),
        'pool.colour: unknown key',
        'payouts.minimum_payot: unknown key',
        expect.stringMatching(/^POOL_LOG_LEVEL: /),
        'POOL_OPERATOR_API_KEY: must be at least 16 characters',
      ]),
    );
  });

  it('says when the file cannot be read', async () => {
    const { lines, exitCode } = await poolctl(['config', 'check', '--config', join(dir, 'missing.yaml')]);
    expect(exitCode).toBe(1);
    expect(lines.join('\n')).toMatch(/cannot read the config file/);
  });

  it('warns, without failing, when a real node is configured and the api would serve plain HTTP', async () => {
    // Secrets that look like real ones (random bytes), so only the transport is in question.
    const random = (label: string): string => createHash('sha256').update(`config-check spec: ${label}`).digest('hex');
    const real = file('real.yaml', `pool:\n  target_puzzle_hash: "0x${random('target')}"\n  jwt_secret_hex: "${random('jwt')}"\nchia:\n  full_node: { host: 127.0.0.1, port: 8555 }\n`);
    const plain = await poolctl(['config', 'check', '--config', real]);
    expect(plain.lines.find((l) => l.startsWith('warning: '))).toMatch(/plain HTTP/);
    expect(plain.lines[plain.lines.length - 1]).toBe(`config OK: ${real}`);
    expect(plain.exitCode).toBe(0);
    const proxied = await poolctl(['config', 'check', '--config', real], { POOL_TRUST_PROXY: '10.0.0.2' });
    expect(proxied.lines.some((l) => l.startsWith('warning: '))).toBe(false);
  });
});
