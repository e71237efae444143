import { randomBytes } from 'node:crypto';
import { AugSchemeMPL, JacobianPoint } from 'chia-bls';
import { median, timeMs } from './bench-timing';
import { type BlsBackend, type BlsVerifyItem, BLS_BACKEND_NAMES, loadBls } from '@pool/chia';

/*
 * BLS cost of one pool partial: aggregateVerify of 2 pairs (plot key + authentication key over one message),
 * hex-free bytes in, boolean out, including decompression, subgroup checks and hash-to-curve.
 * Run: npm run build --silent && node dist/test/bench/chia-bls.bench.js
 */

const TARGET_NATIVE_MS = 3.5;

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

/**
 * Two measurements of the same fresh partials, alternating round by round so both see the same machine load: the
 * median ms of each. `measure(items, round)` returns the pair for one round.
 */
function alternating(bls: BlsBackend, batchSize: number, rounds: number, measure: (items: BlsVerifyItem[], round: number) => [number, number]): [number, number] {
  const first: number[] = [];
  const second: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const [a, b] = measure(makePartials(bls, batchSize), round);
    first.push(a);
    second.push(b);
  }
  return [median(first), median(second)];
}

const verifiedBatchMs = (bls: BlsBackend, items: BlsVerifyItem[]): number =>
  timeMs(() => {
    if (!bls.verifyBatch(items).every(Boolean)) throw new Error('bench batch did not verify');
  });

/** Per-partial cost of verifyBatch next to one aggregateVerify per partial on the same items. */
function benchBatch(bls: BlsBackend, batchSize: number, rounds: number): { batched: number; oneByOne: number } {
  const [batched, oneByOne] = alternating(bls, batchSize, rounds, (items) => [
    verifiedBatchMs(bls, items) / batchSize,
    timeMs(() => {
      if (!items.every((item) => bls.aggregateVerify(item.pks, item.msgs, item.sig))) throw new Error('bench item did not verify');
    }) / batchSize,
  ]);
  return { batched, oneByOne };
}

/**
 * What one badly signed partial costs its batch: the same items verified all good and with one signature swapped for
 * another item's. The ratio is what a pool pays for a batch that holds one bad signature.
 */
function benchOneBadSignature(bls: BlsBackend, batchSize: number, rounds: number): { good: number; oneBad: number } {
  const [good, oneBad] = alternating(bls, batchSize, rounds, (items, round) => {
    const spoilt = items.map((item, i) => (i === round % batchSize ? { ...item, sig: items[(i + 1) % batchSize]!.sig } : item));
    return [
      verifiedBatchMs(bls, items),
      timeMs(() => {
        if (bls.verifyBatch(spoilt).filter((valid) => !valid).length !== 1) throw new Error('bench batch did not find its one bad signature');
      }),
    ];
  });
  return { good, oneBad };
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
    const { batched, oneByOne } = benchBatch(native, size, 15);
    console.log(
      `  native verifyBatch of ${size} partials: ${batched.toFixed(2)} ms per partial ` +
        `(same items one by one: ${oneByOne.toFixed(2)} ms; median of 15 rounds)`,
    );
  }
  const { good, oneBad } = benchOneBadSignature(native, 64, 15);
  console.log(
    `  native verifyBatch of 64 partials with one bad signature: ${oneBad.toFixed(1)} ms, ${(oneBad / good).toFixed(2)}x the all-good batch ` +
      `(${good.toFixed(1)} ms; median of 15 rounds)`,
  );
  console.log(`  chia-bls ${benchChiaBls(native, 2).toFixed(0)} ms  (n=2, pure TypeScript reference)`);
}

if (require.main === module) void benchBls();
