import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vectorsDir } from '../support/vectors-dir';
import { median, timeMs } from './bench-timing';
import { verifyProof } from '@pool/chia';

/**
 * Median time per v1 proof verification, for the k=32 proofs in the shared vectors (the still-valid mutations of
 * chiapos tests/pos.txt in negative_and_edge_cases.json) and for the k=21 chiapos proofs.
 * Run: cd /work/main && npm run build --silent && node dist/test/bench/chia-pos.bench.js
 */

interface ProofCase {
  k: number;
  plotId: Uint8Array;
  challenge: Uint8Array;
  proof: Uint8Array;
}

interface RawCase {
  k: number | string;
  plot_id: string;
  challenge: string;
  proof: string;
  expected_valid?: boolean;
}

function loadCases(relativePath: string, pick: (raw: RawCase) => boolean, listKey: 'vectors' | 'cases'): ProofCase[] | undefined {
  const file = join(vectorsDir(), relativePath);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, RawCase[]>;
  const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
  return (parsed[listKey] ?? []).filter(pick).map((raw) => ({
    k: Number(raw.k),
    plotId: bytes(raw.plot_id),
    challenge: bytes(raw.challenge),
    proof: bytes(raw.proof),
  }));
}

function medianMs(cases: ProofCase[], iterations: number, expectValid: boolean): number {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const c = cases[i % cases.length]!;
    let valid = false;
    samples.push(timeMs(() => (valid = verifyProof(c.k, c.plotId, c.challenge, c.proof).valid)));
    if (valid !== expectValid) throw new Error(`unexpected verdict for a k=${c.k} proof`);
  }
  return median(samples);
}

function report(label: string, cases: ProofCase[] | undefined, expectValid: boolean): void {
  if (cases === undefined || cases.length === 0) {
    console.log(`${label}: skipped (no vectors found under ${vectorsDir()}; set POOL_VECTORS_DIR)`);
    return;
  }
  const coldStart = process.hrtime.bigint();
  verifyProof(cases[0].k, cases[0].plotId, cases[0].challenge, cases[0].proof);
  const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;
  medianMs(cases, 2000, expectValid); // warm-up so the JIT has optimised the hot path
  const rounds = [1, 2, 3].map(() => medianMs(cases, 5000, expectValid));
  const best = Math.min(...rounds);
  console.log(
    `${label}: median ${best.toFixed(4)} ms per proof (rounds ${rounds.map((r) => r.toFixed(4)).join(', ')}; ` +
      `${cases.length} distinct proofs; first call ${coldMs.toFixed(2)} ms)`,
  );
}

export async function benchPos(): Promise<void> {
  const edge = 'pos/negative_and_edge_cases.json';
  report('k32 valid', loadCases(edge, (c) => Number(c.k) === 32 && c.expected_valid === true, 'cases'), true);
  report('k21 valid', loadCases('pos/chiapos_k21_proofs.json', () => true, 'vectors'), true);
  report(
    'k32 invalid (bit flips)',
    loadCases(edge, (c) => Number(c.k) === 32 && c.expected_valid === false && String(c.proof).length === 512, 'cases'),
    false,
  );
}

if (require.main === module) void benchPos();
