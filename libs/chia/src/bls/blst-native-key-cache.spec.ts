import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { type BlsBackend, type BlsVerifyItem } from './bls-backend';
import { hexToBytes } from './bls-bytes';
import { G1_INFINITY } from './bls-constants';
import { createNativeBls } from './blst-native-backend';

/*
 * The native backend remembers public keys that passed decoding and the G1 subgroup check. These specs show
 * that remembering a valid key never lets a different, invalid or identity key through, with the cache on,
 * off, and so small that it evicts all the time.
 */

/** Public G1 point from Chia's bls-signatures tests: on the curve, outside the r-order subgroup. */
const CHIA_BAD_G1 = hexToBytes(
  '8d5d0fb73b9c92df4eab4216e48c3e358578b4cc30f82c268bd6fef3bd34b558628daf1afef798d4c3b0fcd8b28c8973',
);

interface KeyPair {
  sk: Uint8Array;
  pk: Uint8Array;
}

function flipBit(bytes: Uint8Array, byteIndex: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[byteIndex] ^= 0x04;
  return copy;
}

describe('native backend public key cache', () => {
  let uncached: BlsBackend;
  let cached: BlsBackend;
  let tiny: BlsBackend;
  let plot: KeyPair;
  let auth: KeyPair;
  let other: KeyPair;
  const msg = new Uint8Array(randomBytes(32));
  let partialSig: Uint8Array;

  beforeAll(async () => {
    [uncached, cached, tiny] = await Promise.all([
      createNativeBls({ publicKeyCacheSize: 0 }),
      createNativeBls({ publicKeyCacheSize: 64 }),
      createNativeBls({ publicKeyCacheSize: 1 }),
    ]);
    const keyPair = (): KeyPair => {
      const sk = uncached.keyGen(randomBytes(32));
      return { sk, pk: uncached.skToPk(sk) };
    };
    [plot, auth, other] = [keyPair(), keyPair(), keyPair()];
    partialSig = uncached.aggregate([uncached.sign(plot.sk, msg), uncached.sign(auth.sk, msg)]);
  });

  const partial = (pks: Uint8Array[], sig = partialSig): BlsVerifyItem => ({ pks, msgs: pks.map(() => msg), sig });

  it('refuses a wrong, out-of-subgroup, tampered or identity key after the valid keys were cached', () => {
    for (const bls of [cached, tiny]) {
      expect(bls.verifyBatch([partial([plot.pk, auth.pk])])).toEqual([true]);
      const refused = [
        partial([plot.pk, other.pk]),
        partial([plot.pk, CHIA_BAD_G1]),
        partial([flipBit(plot.pk, 20), auth.pk]),
        partial([plot.pk, flipBit(auth.pk, 47)]),
        partial([G1_INFINITY, auth.pk]),
      ];
      expect(refused.map((item) => bls.aggregateVerify(item.pks, item.msgs, item.sig))).toEqual(refused.map(() => false));
      expect(bls.verifyBatch(refused)).toEqual(refused.map(() => false));
      // ...and the valid partial still verifies next to them, in one batch.
      expect(bls.verifyBatch([partial([plot.pk, auth.pk]), ...refused])).toEqual([true, ...refused.map(() => false)]);
    }
  });

  it('a key buffer overwritten in place after it was cached is checked as the new bytes', () => {
    const pk = Uint8Array.from(auth.pk);
    expect(cached.aggregateVerify([plot.pk, pk], [msg, msg], partialSig)).toBe(true);
    pk.set(CHIA_BAD_G1);
    expect(cached.aggregateVerify([plot.pk, pk], [msg, msg], partialSig)).toBe(false);
    pk.set(auth.pk);
    expect(cached.aggregateVerify([plot.pk, pk], [msg, msg], partialSig)).toBe(true);
  });

  it('cached, evicting and uncached backends give the same answers on random sequences of partials', () => {
    const keys = (): Uint8Array[] => [plot.pk, auth.pk, other.pk, CHIA_BAD_G1, flipBit(auth.pk, 30), G1_INFINITY];
    const items = fc.array(
      fc.record({ first: fc.nat(5), second: fc.nat(5), tamperSig: fc.boolean() }).map(({ first, second, tamperSig }) => {
        const pool = keys();
        return partial([pool[first]!, pool[second]!], tamperSig ? flipBit(partialSig, 60) : partialSig);
      }),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(items, (batch) => {
        const expected = batch.map((item) => uncached.aggregateVerify(item.pks, item.msgs, item.sig));
        expect(cached.verifyBatch(batch)).toEqual(expected);
        expect(tiny.verifyBatch(batch)).toEqual(expected);
        expect(batch.map((item) => cached.aggregateVerify(item.pks, item.msgs, item.sig))).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });

  it('refuses an invalid cache size', async () => {
    await expect(createNativeBls({ publicKeyCacheSize: -1 })).rejects.toThrow(/capacity/);
  });
});
