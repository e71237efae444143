import { randomBytes } from 'node:crypto';
import { AugSchemeMPL, JacobianPoint } from 'chia-bls';
import { type BlsBackend, type BlsVerifyItem, BLS_BACKEND_NAMES, loadBls } from '../../libs/chia/src/bls';

/*
 * BLS cost of one pool partial: aggregateVerify of 2 pairs (plot key + authentication key over one message),
 * hex-free bytes in, boolean out, including decompression, subgroup checks and hash-to-curve.
 * Run: npm run build --silent && node dist/test/bench/chia-bls.bench.js
 */

const TARGET_NATIVE_MS = 3.5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeMs(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Fresh partial-shaped jobs: two keys sign the same 32-byte message, signatures aggregated. */
function makePartials(bls: BlsBackend, count: number): BlsVerifyItem[] {
  const plotSk = bls.keyGen(randomBytes(32));
  const authSk = bls.keyGen(randomBytes(32));
  const pks = [bls.skToPk(plotSk), bls.skToPk(authSk)];
  return Array.from({ length: count }, () => {
    const msg = new Uint8Array(randomBytes(32));
    return { pks, msgs: [msg, msg], sig: bls.aggregate([bls.sign(plotSk, msg), bls.sign(authSk, msg)]) };
  });
}

function benchAggregateVerify(bls: BlsBackend, iterations: number): number {
  const items = makePartials(bls, iterations);
  bls.aggregateVerify(items[0].pks, items[0].msgs, items[0].sig); // warm-up
  const samples = items.map((item) =>
    timeMs(() => {
      if (!bls.aggregateVerify(item.pks, item.msgs, item.sig)) throw new Error('bench signature did not verify');
    }),
  );
  return median(samples);
}

function benchBatch(bls: BlsBackend, batchSize: number, rounds: number): number {
  const perItem: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const items = makePartials(bls, batchSize);
    perItem.push(
      timeMs(() => {
        if (!bls.verifyBatch(items).every(Boolean)) throw new Error('bench batch did not verify');
      }) / batchSize,
    );
  }
  return median(perItem);
}

function benchChiaBls(native: BlsBackend, iterations: number): number {
  const items = makePartials(native, iterations);
  const samples = items.map((item) =>
    timeMs(() => {
      // chia-bls clears the flag bits of the array it parses in place, so hand it copies.
      const pks = item.pks.map((pk) => JacobianPoint.fromBytesG1(Uint8Array.from(pk)));
      const sig = JacobianPoint.fromBytesG2(Uint8Array.from(item.sig));
      if (!AugSchemeMPL.aggregateVerify(pks, [...item.msgs], sig)) {
        throw new Error('chia-bls did not verify');
      }
    }),
  );
  return median(samples);
}

export async function benchBls(): Promise<void> {
  console.log('BLS AugSchemeMPL aggregateVerify of 2 pairs (one pool partial), median ms per call');
  for (const name of BLS_BACKEND_NAMES) {
    const bls = await loadBls(name);
    const iterations = name === 'native' ? 400 : 60;
    const ms = benchAggregateVerify(bls, iterations);
    const verdict = name === 'native' ? `  (target <= ${TARGET_NATIVE_MS} ms: ${ms <= TARGET_NATIVE_MS ? 'met' : 'MISSED'})` : '';
    console.log(`  ${name.padEnd(8)} ${ms.toFixed(2)} ms  (n=${iterations})${verdict}`);
  }
  const native = await loadBls('native');
  for (const size of [16, 64]) {
    console.log(`  native verifyBatch of ${size} partials: ${benchBatch(native, size, 15).toFixed(2)} ms per partial (median of 15 batches)`);
  }
  console.log(`  chia-bls ${benchChiaBls(native, 2).toFixed(0)} ms  (n=2, pure TypeScript reference)`);
}

if (require.main === module) void benchBls();
