import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { blst } from '@chainsafe/blst/dist/bindings';
import { type BlsBackend, type BlsVerifyItem } from './bls-backend';
import { bytesToHex, hexToBytes } from './bls-bytes';
import { CURVE_ORDER, G1_INFINITY, G2_INFINITY } from './bls-constants';
import { BLS_BACKEND_NAMES, loadBls } from './bls-loader';

/* Self-contained checks (no vector files): round trips, edge cases, and native vs WASM agreement. */

const FIELD_P =
  0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn;

/** Public G1 point from Chia's bls-signatures tests: on the curve, outside the r-order subgroup. */
const CHIA_BAD_G1 = hexToBytes(
  '8d5d0fb73b9c92df4eab4216e48c3e358578b4cc30f82c268bd6fef3bd34b558628daf1afef798d4c3b0fcd8b28c8973',
);

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function compressedG1(x: bigint): Uint8Array {
  const bytes = hexToBytes(x.toString(16).padStart(96, '0'));
  bytes[0] |= 0x80;
  return bytes;
}

/**
 * G1 encodings built with plain bigint arithmetic on y^2 = x^3 + 4: the first small x with a square
 * right-hand side is a curve point that (cofactor h is large) lies outside G1, the first without is off-curve.
 */
function handMadeG1Points(): { onCurveOutsideGroup: Uint8Array; offCurve: Uint8Array } {
  let onCurve: Uint8Array | undefined;
  let offCurve: Uint8Array | undefined;
  for (let x = 1n; onCurve === undefined || offCurve === undefined; x++) {
    const rhs = (x * x * x + 4n) % FIELD_P;
    const isSquare = modPow(rhs, (FIELD_P - 1n) / 2n, FIELD_P) === 1n;
    if (isSquare) onCurve ??= compressedG1(x);
    else offCurve ??= compressedG1(x);
  }
  return { onCurveOutsideGroup: onCurve, offCurve };
}

/** A G2 encoding on the twist curve but outside G2, found with blst's decoder (which only checks the curve). */
function g2OnCurveOutsideGroup(): Uint8Array {
  for (let x = 1; x < 256; x++) {
    const bytes = new Uint8Array(96);
    bytes[0] = 0x80;
    bytes[95] = x;
    try {
      const point = new blst.P2_Affine(bytes);
      if (!point.in_group()) return bytes;
    } catch {
      // not on the curve: try the next x
    }
  }
  throw new Error('no G2 test point found');
}

interface KeyPair {
  sk: Uint8Array;
  pk: Uint8Array;
}

function flipBit(bytes: Uint8Array, byteIndex: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[byteIndex] ^= 0x04;
  return copy;
}

const g1 = handMadeG1Points();
const g2OutsideGroup = g2OnCurveOutsideGroup();

describe('test points', () => {
  it('are what the edge-case tests assume', () => {
    expect(new blst.P1_Affine(g1.onCurveOutsideGroup).in_group()).toBe(false);
    expect(new blst.P1_Affine(CHIA_BAD_G1).in_group()).toBe(false);
    expect(() => new blst.P1_Affine(g1.offCurve)).toThrow();
    expect(new blst.P2_Affine(g2OutsideGroup).in_group()).toBe(false);
  });
});

describe.each(BLS_BACKEND_NAMES)('%s backend', (backendName) => {
  let bls: BlsBackend;
  let alice: KeyPair;
  let bob: KeyPair;
  const msg = new Uint8Array(Buffer.from('partial payload hash stand-in', 'utf8'));

  beforeAll(async () => {
    bls = await loadBls(backendName);
    const keyPair = (): KeyPair => {
      const sk = bls.keyGen(randomBytes(32));
      return { sk, pk: bls.skToPk(sk) };
    };
    alice = keyPair();
    bob = keyPair();
  });

  describe('round trips', () => {
    it('sign/verify with fresh keys; other key, message or signature is rejected', () => {
      const sig = bls.sign(alice.sk, msg);
      expect(sig).toHaveLength(96);
      expect(alice.pk).toHaveLength(48);
      expect(bls.verify(alice.pk, msg, sig)).toBe(true);
      expect(bls.verify(bob.pk, msg, sig)).toBe(false);
      expect(bls.verify(alice.pk, flipBit(msg, 3), sig)).toBe(false);
      expect(bls.verify(alice.pk, msg, flipBit(sig, 50))).toBe(false);
      expect(bls.verify(alice.pk, msg, bls.sign(bob.sk, msg))).toBe(false);
    });

    it('empty and long messages', () => {
      for (const m of [new Uint8Array(0), new Uint8Array(randomBytes(5000))]) {
        expect(bls.verify(alice.pk, m, bls.sign(alice.sk, m))).toBe(true);
      }
    });

    it('the augmentation binds the key: a signature is not valid under a raw (unaugmented) message', () => {
      const sig = bls.sign(alice.sk, msg);
      expect(bls.verify(alice.pk, Buffer.concat([alice.pk, msg]), sig)).toBe(false);
    });

    it('aggregate of a partial (plot key + auth key over one message) verifies; order of pairs does not matter', () => {
      const agg = bls.aggregate([bls.sign(alice.sk, msg), bls.sign(bob.sk, msg)]);
      expect(bls.aggregateVerify([alice.pk, bob.pk], [msg, msg], agg)).toBe(true);
      expect(bls.aggregateVerify([bob.pk, alice.pk], [msg, msg], agg)).toBe(true);
      expect(bls.aggregateVerify([alice.pk, bob.pk], [msg, flipBit(msg, 0)], agg)).toBe(false);
      expect(bls.aggregateVerify([alice.pk], [msg], agg)).toBe(false);
      expect(bls.aggregateVerify([alice.pk, alice.pk], [msg, msg], agg)).toBe(false);
    });

    it('duplicate (pk, msg) pairs are allowed', () => {
      const sig = bls.sign(alice.sk, msg);
      expect(bls.aggregateVerify([alice.pk, alice.pk], [msg, msg], bls.aggregate([sig, sig]))).toBe(true);
    });

    it('aggregate([]) is the identity signature and aggregating it changes nothing', () => {
      expect(bytesToHex(bls.aggregate([]))).toBe(bytesToHex(G2_INFINITY));
      const sig = bls.sign(alice.sk, msg);
      expect(bytesToHex(bls.aggregate([sig, G2_INFINITY]))).toBe(bytesToHex(sig));
    });

    it('unhardened derivation: the child pk from the parent pk matches the child sk, and signs', () => {
      const index = 12381;
      const childSk = bls.deriveChildSkUnhardened(alice.sk, index);
      const childPk = bls.deriveChildPkUnhardened(alice.pk, index);
      expect(bytesToHex(bls.skToPk(childSk))).toBe(bytesToHex(childPk));
      expect(bls.verify(childPk, msg, bls.sign(childSk, msg))).toBe(true);
      expect(bytesToHex(childSk)).not.toBe(bytesToHex(alice.sk));
    });

    it('hardened derivation is deterministic and index-dependent', () => {
      const a = bls.deriveChildSk(alice.sk, 7);
      expect(bytesToHex(bls.deriveChildSk(alice.sk, 7))).toBe(bytesToHex(a));
      expect(bytesToHex(bls.deriveChildSk(alice.sk, 8))).not.toBe(bytesToHex(a));
      expect(bytesToHex(bls.deriveChildSk(alice.sk, 0xffffffff))).toHaveLength(64);
    });
  });

  describe('edge cases: verification returns false and never throws', () => {
    it('identity public key', () => {
      expect(bls.verify(G1_INFINITY, msg, G2_INFINITY)).toBe(false);
      expect(bls.verify(G1_INFINITY, msg, bls.sign(alice.sk, msg))).toBe(false);
      const sig = bls.sign(alice.sk, msg);
      expect(bls.aggregateVerify([alice.pk, G1_INFINITY], [msg, msg], sig)).toBe(false);
    });

    it('public keys outside the G1 subgroup, and off the curve', () => {
      const sig = bls.sign(alice.sk, msg);
      for (const pk of [CHIA_BAD_G1, g1.onCurveOutsideGroup, g1.offCurve]) {
        expect(bls.verify(pk, msg, sig)).toBe(false);
        expect(bls.aggregateVerify([alice.pk, pk], [msg, msg], sig)).toBe(false);
      }
    });

    it('signatures outside the G2 subgroup, tampered, or garbage', () => {
      const sig = bls.sign(alice.sk, msg);
      for (const bad of [g2OutsideGroup, flipBit(sig, 10), flipBit(sig, 90), new Uint8Array(96).fill(0xff), new Uint8Array(96)]) {
        expect(bls.verify(alice.pk, msg, bad)).toBe(false);
        expect(bls.aggregateVerify([alice.pk], [msg], bad)).toBe(false);
      }
    });

    it('wrong lengths and wrong types', () => {
      const sig = bls.sign(alice.sk, msg);
      expect(bls.verify(alice.pk.subarray(1), msg, sig)).toBe(false);
      expect(bls.verify(Buffer.concat([alice.pk, Buffer.of(0)]), msg, sig)).toBe(false);
      expect(bls.verify(alice.pk, msg, sig.subarray(1))).toBe(false);
      expect(bls.verify(alice.pk, msg, Buffer.concat([sig, sig]))).toBe(false);
      const loose = bls as unknown as { verify(...args: unknown[]): boolean; aggregateVerify(...args: unknown[]): boolean };
      expect(loose.verify(bytesToHex(alice.pk), msg, sig)).toBe(false);
      expect(loose.verify(alice.pk, 'message', sig)).toBe(false);
      expect(loose.verify(undefined, undefined, undefined)).toBe(false);
      expect(loose.aggregateVerify(undefined, [msg], sig)).toBe(false);
      expect(loose.aggregateVerify([alice.pk], [null], sig)).toBe(false);
    });

    it('mismatched array lengths', () => {
      const sig = bls.sign(alice.sk, msg);
      expect(bls.aggregateVerify([alice.pk], [msg, msg], sig)).toBe(false);
      expect(bls.aggregateVerify([alice.pk, alice.pk], [msg], sig)).toBe(false);
      expect(bls.aggregateVerify([], [msg], G2_INFINITY)).toBe(false);
    });

    it('empty aggregate: true only with the identity signature (chia_rs)', () => {
      expect(bls.aggregateVerify([], [], G2_INFINITY)).toBe(true);
      expect(bls.aggregateVerify([], [], bls.sign(alice.sk, msg))).toBe(false);
      expect(bls.aggregateVerify([], [], new Uint8Array(96))).toBe(false);
      expect(bls.aggregateVerify([], [], G2_INFINITY.subarray(1))).toBe(false);
    });

    it('identity signature with real pairs', () => {
      expect(bls.verify(alice.pk, msg, G2_INFINITY)).toBe(false);
      expect(bls.aggregateVerify([alice.pk, bob.pk], [msg, msg], G2_INFINITY)).toBe(false);
    });

    it('random bytes of the right lengths (property)', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 48, maxLength: 48 }), fc.uint8Array({ minLength: 96, maxLength: 96 }), (pk, sig) => {
          expect(bls.verify(pk, msg, sig)).toBe(false);
          expect(bls.verify(alice.pk, msg, sig)).toBe(false);
          expect(bls.aggregateVerify([alice.pk, pk], [msg, msg], sig)).toBe(false);
        }),
        { numRuns: 25 },
      );
    });
  });

  describe('key operations reject bad input with an Error', () => {
    it.each([
      ['keyGen with a 31-byte seed', (b: BlsBackend) => b.keyGen(new Uint8Array(31))],
      ['skToPk with sk = r', (b: BlsBackend) => b.skToPk(hexToBytes(CURVE_ORDER.toString(16).padStart(64, '0')))],
      ['skToPk with a 31-byte sk', (b: BlsBackend) => b.skToPk(new Uint8Array(31))],
      ['sign with sk >= r', (b: BlsBackend) => b.sign(new Uint8Array(32).fill(0xff), new Uint8Array(1))],
      ['aggregate of garbage', (b: BlsBackend) => b.aggregate([new Uint8Array(96).fill(0xff)])],
      ['aggregate of a point outside G2', (b: BlsBackend) => b.aggregate([g2OutsideGroup])],
      ['deriveChildPkUnhardened of an off-curve pk', (b: BlsBackend) => b.deriveChildPkUnhardened(g1.offCurve, 0)],
      ['deriveChildPkUnhardened of a pk outside G1', (b: BlsBackend) => b.deriveChildPkUnhardened(CHIA_BAD_G1, 0)],
      ['deriveChildSk with index 2^32', (b: BlsBackend) => b.deriveChildSk(new Uint8Array(32).fill(1), 2 ** 32)],
      ['deriveChildSkUnhardened with index -1', (b: BlsBackend) => b.deriveChildSkUnhardened(new Uint8Array(32).fill(1), -1)],
      ['fingerprint of a 47-byte pk', (b: BlsBackend) => b.fingerprint(new Uint8Array(47))],
    ])('%s', (_label, call) => {
      expect(() => call(bls)).toThrow(Error);
    });
  });

  describe('verifyBatch', () => {
    it('equals aggregateVerify item by item on a mix of good, bad and degenerate items', () => {
      const good = (kp: KeyPair, m: Uint8Array): BlsVerifyItem => ({ pks: [kp.pk], msgs: [m], sig: bls.sign(kp.sk, m) });
      const partial: BlsVerifyItem = {
        pks: [alice.pk, bob.pk],
        msgs: [msg, msg],
        sig: bls.aggregate([bls.sign(alice.sk, msg), bls.sign(bob.sk, msg)]),
      };
      const items: BlsVerifyItem[] = [
        good(alice, msg),
        partial,
        { ...partial, msgs: [msg, flipBit(msg, 1)] },
        good(bob, new Uint8Array(0)),
        { pks: [], msgs: [], sig: G2_INFINITY },
        { pks: [alice.pk], msgs: [msg], sig: G2_INFINITY },
        { pks: [CHIA_BAD_G1], msgs: [msg], sig: bls.sign(alice.sk, msg) },
        { pks: [alice.pk], msgs: [msg, msg], sig: bls.sign(alice.sk, msg) },
        { pks: [alice.pk], msgs: [msg], sig: g2OutsideGroup },
        good(bob, msg),
      ];
      const expected = items.map((item) => bls.aggregateVerify(item.pks, item.msgs, item.sig));
      expect(expected).toEqual([true, true, false, true, true, false, false, false, false, true]);
      expect(bls.verifyBatch(items)).toEqual(expected);
    });

    it('all-valid batches, including a single item and an empty batch', () => {
      const items = Array.from({ length: 6 }, (_, i) => {
        const m = new Uint8Array(randomBytes(32 + i));
        return { pks: [alice.pk, bob.pk], msgs: [m, m], sig: bls.aggregate([bls.sign(alice.sk, m), bls.sign(bob.sk, m)]) };
      });
      expect(bls.verifyBatch(items)).toEqual(items.map(() => true));
      expect(bls.verifyBatch(items.slice(0, 1))).toEqual([true]);
      expect(bls.verifyBatch([])).toEqual([]);
    });

    it('finds every bad signature wherever it lies in a large batch, alone or several together', () => {
      // Partials of two keys each: 37 of them span several of the native backend's Miller-loop contexts and a remainder.
      const messages = Array.from({ length: 37 }, () => new Uint8Array(randomBytes(32)));
      const good = messages.map((m) => ({ pks: [alice.pk, bob.pk], msgs: [m, m], sig: bls.aggregate([bls.sign(alice.sk, m), bls.sign(bob.sk, m)]) }));
      const spoilt = (item: BlsVerifyItem, by: number): BlsVerifyItem => ({ ...item, sig: good[(by + 1) % good.length]!.sig });
      const cases = [[], [0], [36], [5], [4, 5, 6, 7], [1, 2, 35], [0, 9, 18, 27, 36], good.map((_, i) => i)];
      for (const bad of cases) {
        const items = good.map((item, i) => (bad.includes(i) ? spoilt(item, i) : item));
        expect({ bad, verdicts: bls.verifyBatch(items) }).toEqual({ bad, verdicts: good.map((_, i) => !bad.includes(i)) });
      }
    });

    it('two signatures swapped between items fail although their sum is unchanged', () => {
      // Without random weights, swapping sigs of two items keeps the combined equation true.
      const m1 = new Uint8Array(randomBytes(32));
      const m2 = new Uint8Array(randomBytes(32));
      const s1 = bls.sign(alice.sk, m1);
      const s2 = bls.sign(bob.sk, m2);
      const swapped = [
        { pks: [alice.pk], msgs: [m1], sig: s2 },
        { pks: [bob.pk], msgs: [m2], sig: s1 },
      ];
      expect(bls.verifyBatch(swapped)).toEqual([false, false]);
    });
  });
});

describe('native and WASM agree', () => {
  let native: BlsBackend;
  let wasm: BlsBackend;
  beforeAll(async () => {
    [native, wasm] = await Promise.all([loadBls('native'), loadBls('wasm')]);
  });

  it('on key generation, HD derivation, fingerprints and signatures for random keys and messages', () => {
    // The WASM backend runs Chia's own C++ keygen/HD; the native one the node:crypto code: independent paths.
    for (let round = 0; round < 6; round++) {
      const seed = new Uint8Array(randomBytes(32 + round * 7));
      const index = randomBytes(4).readUInt32BE(0);
      const message = new Uint8Array(randomBytes(round * 13));
      const sk = native.keyGen(seed);
      expect(bytesToHex(wasm.keyGen(seed))).toBe(bytesToHex(sk));
      const pk = native.skToPk(sk);
      expect(bytesToHex(wasm.skToPk(sk))).toBe(bytesToHex(pk));
      expect(wasm.fingerprint(pk)).toBe(native.fingerprint(pk));
      expect(bytesToHex(wasm.deriveChildSk(sk, index))).toBe(bytesToHex(native.deriveChildSk(sk, index)));
      expect(bytesToHex(wasm.deriveChildSkUnhardened(sk, index))).toBe(bytesToHex(native.deriveChildSkUnhardened(sk, index)));
      expect(bytesToHex(wasm.deriveChildPkUnhardened(pk, index))).toBe(bytesToHex(native.deriveChildPkUnhardened(pk, index)));
      const sig = native.sign(sk, message);
      expect(bytesToHex(wasm.sign(sk, message))).toBe(bytesToHex(sig));
      expect(wasm.verify(pk, message, sig)).toBe(true);
      expect(native.verify(pk, message, sig)).toBe(true);
    }
  });

  it('on aggregates made by the other backend', () => {
    const keys = [1, 2, 3].map(() => native.keyGen(randomBytes(32)));
    const msgs = keys.map(() => new Uint8Array(randomBytes(32)));
    const pks = keys.map((sk) => native.skToPk(sk));
    const agg = native.aggregate(keys.map((sk, i) => native.sign(sk, msgs[i])));
    expect(bytesToHex(wasm.aggregate(keys.map((sk, i) => wasm.sign(sk, msgs[i]))))).toBe(bytesToHex(agg));
    expect(wasm.aggregateVerify(pks, msgs, agg)).toBe(true);
    expect(native.aggregateVerify(pks, msgs, agg)).toBe(true);
  });
});

describe('WASM backend stays healthy under a stream of rejected input', () => {
  it('hundreds of malformed points later, it still signs and verifies correctly', async () => {
    // bls-signatures alone corrupts its memory after about 50 rejected G2 encodings (see bls-wasm-backend.ts).
    const [wasm, native] = await Promise.all([loadBls('wasm'), loadBls('native')]);
    const sk = native.keyGen(randomBytes(32));
    const pk = native.skToPk(sk);
    const msg = new Uint8Array(randomBytes(32));
    const sig = native.sign(sk, msg);
    const garbageSig = new Uint8Array(96).fill(0xff);
    for (let i = 0; i < 400; i++) {
      expect(wasm.verify(pk, msg, i % 2 === 0 ? garbageSig : g2OutsideGroup)).toBe(false);
      expect(wasm.verify(i % 2 === 0 ? g1.offCurve : CHIA_BAD_G1, msg, sig)).toBe(false);
    }
    for (let i = 0; i < 100; i++) expect(() => wasm.aggregate([garbageSig])).toThrow(Error);
    expect(wasm.verify(pk, msg, sig)).toBe(true);
    expect(bytesToHex(wasm.sign(sk, msg))).toBe(bytesToHex(sig));
    expect(bytesToHex(wasm.deriveChildPkUnhardened(pk, 5))).toBe(bytesToHex(native.deriveChildPkUnhardened(pk, 5)));
  });
});
