import { randomBytes } from 'node:crypto';
import type { Blst, P1_Affine, P2_Affine } from '@chainsafe/blst/dist/bindings';
import { type BlsBackend, type BlsVerifyItem } from './bls-backend';
import { bigIntToLittleEndian32 } from './bls-bytes';
import { AUG_SCHEME_DST, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './bls-constants';
import {
  chiaDeriveChildSkHardened,
  chiaDeriveChildSkUnhardened,
  chiaFingerprint,
  chiaKeyGen,
  secretKeyToScalar,
  unhardenedOffset,
} from './chia-key-derivation';
import { PublicKeyCache } from './public-key-cache';
import { isCandidatePublicKey, isCandidateSignature, isMessage, settleAggregateByShape } from './verify-input-guard';

const BLST_SUCCESS = 0;
/** Random weight width for batch verification: a forged batch passes with probability about 2^-63. */
const BATCH_WEIGHT_BYTES = 8;

/** A batch item whose points already decoded and passed their subgroup checks. */
interface DecodedItem {
  readonly pks: P1_Affine[];
  readonly pkBytes: readonly Uint8Array[];
  readonly msgs: readonly Uint8Array[];
  readonly sig: P2_Affine;
}

/**
 * Validated keys kept per backend instance (so per worker thread). A pool verifies each farmer's auth key on
 * every partial and each plot key on every partial of that plot. 20,000 cached keys grew the RSS by about
 * 140 B each (Node 20), so even at a few times that a full cache stays in the tens of MB per thread.
 */
export const DEFAULT_PUBLIC_KEY_CACHE_SIZE = 50_000;

export interface NativeBlsOptions {
  /** Most decoded, subgroup-checked public keys remembered for verification; 0 disables the cache. */
  readonly publicKeyCacheSize?: number;
}

/** Loads blst's SWIG addon (prebuilt per Node ABI); rejects when no binary fits this platform. */
export async function createNativeBls(options: NativeBlsOptions = {}): Promise<BlsBackend> {
  const { blst } = await import('@chainsafe/blst/dist/bindings');
  return new BlstNativeBackend(blst, options.publicKeyCacheSize ?? DEFAULT_PUBLIC_KEY_CACHE_SIZE);
}

/**
 * AugSchemeMPL on blst (@chainsafe/blst 0.2.x raw SWIG API). The pk48 augmentation is passed as blst's `aug`
 * prefix, so the hashed message is pk48 || msg. Keygen and HD are the shared node:crypto implementation.
 */
class BlstNativeBackend implements BlsBackend {
  readonly name = 'native' as const;
  /** The SWIG typings forbid null, but the C++ side takes a null signature as "no signature in this pair". */
  private readonly noSignature = null as unknown as P2_Affine;

  /** Keys that decoded, are not the identity and lie in G1: exactly what `decodeItem` requires of a pk. */
  private readonly verifiedKeys: PublicKeyCache<P1_Affine>;

  constructor(
    private readonly blst: Blst,
    publicKeyCacheSize: number,
  ) {
    this.verifiedKeys = new PublicKeyCache(publicKeyCacheSize, (bytes) => this.decodeVerificationKey(bytes));
  }

  keyGen(seed: Uint8Array): Uint8Array {
    return chiaKeyGen(seed);
  }

  skToPk(sk: Uint8Array): Uint8Array {
    return new this.blst.P1(this.secretKey(sk)).to_affine().compress();
  }

  sign(sk: Uint8Array, msg: Uint8Array): Uint8Array {
    if (!isMessage(msg)) throw new Error('message must be a Uint8Array');
    const secret = this.secretKey(sk);
    const pk = new this.blst.P1(secret).to_affine().compress();
    return new this.blst.P2().hash_to(msg, AUG_SCHEME_DST, pk).sign_with(secret).to_affine().compress();
  }

  verify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
    if (!isCandidatePublicKey(pk) || !isMessage(msg) || !isCandidateSignature(sig)) return false;
    const pkPoint = this.decodeG1(pk);
    const sigPoint = this.decodeG2(sig);
    if (pkPoint === undefined || sigPoint === undefined) return false;
    try {
      // core_verify runs the subgroup checks of both points and rejects the identity pk itself.
      return sigPoint.core_verify(pkPoint, true, msg, AUG_SCHEME_DST, pk) === BLST_SUCCESS;
    } catch {
      return false;
    }
  }

  aggregate(sigs: readonly Uint8Array[]): Uint8Array {
    const sum = new this.blst.P2();
    for (const sig of sigs) sum.aggregate(this.requireG2(sig));
    return sum.to_affine().compress();
  }

  aggregateVerify(pks: readonly Uint8Array[], msgs: readonly Uint8Array[], sig: Uint8Array): boolean {
    const settled = settleAggregateByShape(pks, msgs, sig);
    if (settled !== undefined) return settled;
    const item = this.decodeItem({ pks, msgs, sig });
    return item !== undefined && this.pairingCheck(item);
  }

  deriveChildSk(sk: Uint8Array, index: number): Uint8Array {
    return chiaDeriveChildSkHardened(sk, index);
  }

  deriveChildSkUnhardened(sk: Uint8Array, index: number): Uint8Array {
    return chiaDeriveChildSkUnhardened(sk, this.skToPk(sk), index);
  }

  deriveChildPkUnhardened(pk: Uint8Array, index: number): Uint8Array {
    const parent = this.requireG1(pk);
    const offset = unhardenedOffset(pk, index);
    return this.blst.P1.generator().mult(bigIntToLittleEndian32(offset)).add(parent).to_affine().compress();
  }

  fingerprint(pk: Uint8Array): number {
    this.requireG1(pk);
    return chiaFingerprint(pk);
  }

  verifyBatch(items: readonly BlsVerifyItem[]): boolean[] {
    const results = new Array<boolean>(items.length).fill(false);
    const pending: { index: number; item: DecodedItem }[] = [];
    items.forEach((item, index) => {
      const settled = settleAggregateByShape(item.pks, item.msgs, item.sig);
      if (settled !== undefined) {
        results[index] = settled;
        return;
      }
      const decoded = this.decodeItem(item);
      if (decoded !== undefined) pending.push({ index, item: decoded });
    });
    if (pending.length === 0) return results;
    if (pending.length > 1 && this.weightedBatchCheck(pending.map((p) => p.item))) {
      for (const { index } of pending) results[index] = true;
      return results;
    }
    // One bad item spoils the combined check, so find out which ones individually.
    for (const { index, item } of pending) results[index] = this.pairingCheck(item);
    return results;
  }

  private secretKey(sk: Uint8Array) {
    secretKeyToScalar(sk);
    const secret = new this.blst.SecretKey();
    secret.from_bendian(sk);
    return secret;
  }

  /** Decodes a compressed G1 point (on-curve check only); undefined when the encoding is rejected. */
  private decodeG1(bytes: Uint8Array): P1_Affine | undefined {
    try {
      return new this.blst.P1_Affine(bytes);
    } catch {
      return undefined;
    }
  }

  private decodeG2(bytes: Uint8Array): P2_Affine | undefined {
    try {
      return new this.blst.P2_Affine(bytes);
    } catch {
      return undefined;
    }
  }

  /** Strict decoding for key operations: 48 bytes, on the curve and in G1 (identity allowed, as in chia_rs). */
  private requireG1(bytes: Uint8Array): P1_Affine {
    const point = bytes instanceof Uint8Array && bytes.length === PUBLIC_KEY_BYTES ? this.decodeG1(bytes) : undefined;
    if (point === undefined || !point.in_group()) throw new Error('invalid G1 public key');
    return point;
  }

  private requireG2(bytes: Uint8Array): P2_Affine {
    const point = bytes instanceof Uint8Array && bytes.length === SIGNATURE_BYTES ? this.decodeG2(bytes) : undefined;
    if (point === undefined || !point.in_group()) throw new Error('invalid G2 signature');
    return point;
  }

  /** Decodes an item that passed the shape checks; public keys must be non-identity members of G1. */
  private decodeItem(item: BlsVerifyItem): DecodedItem | undefined {
    const sig = this.decodeG2(item.sig);
    if (sig === undefined) return undefined;
    const pks: P1_Affine[] = [];
    for (const bytes of item.pks) {
      const pk = this.verifiedKeys.get(bytes);
      if (pk === undefined) return undefined;
      pks.push(pk);
    }
    return { pks, pkBytes: item.pks, msgs: item.msgs, sig };
  }

  /**
   * blst's Pairing group-checks the signature (sig_grpchk) but not public keys (pk_grpchk is 0 in
   * blst_pairing_(mul_n_)aggregate_pk_in_g1), so a key must pass the subgroup check here, once.
   */
  private decodeVerificationKey(bytes: Uint8Array): P1_Affine | undefined {
    const pk = this.decodeG1(bytes);
    if (pk === undefined || pk.is_inf() || !pk.in_group()) return undefined;
    return pk;
  }

  /** prod e(pk_i, H(pk_i || m_i)) == e(G1, sig), one Miller loop per pair and one final exponentiation. */
  private pairingCheck(item: DecodedItem): boolean {
    try {
      const pairing = new this.blst.Pairing(true, AUG_SCHEME_DST);
      for (let i = 0; i < item.pks.length; i++) {
        const sig = i === 0 ? item.sig : this.noSignature;
        if (pairing.aggregate(item.pks[i], sig, item.msgs[i], item.pkBytes[i]) !== BLST_SUCCESS) return false;
      }
      pairing.commit();
      return pairing.finalverify();
    } catch {
      return false;
    }
  }

  /**
   * Random-linear-combination check: every pair and signature of item k is scaled by a secret random weight
   * w_k, so the combined equation holds for a batch with a bad item only with negligible probability.
   */
  private weightedBatchCheck(items: readonly DecodedItem[]): boolean {
    try {
      const weights = randomBytes(items.length * BATCH_WEIGHT_BYTES);
      const pairing = new this.blst.Pairing(true, AUG_SCHEME_DST);
      for (let k = 0; k < items.length; k++) {
        const item = items[k];
        const weight = weights.subarray(k * BATCH_WEIGHT_BYTES, (k + 1) * BATCH_WEIGHT_BYTES);
        // Scalars are little-endian here; setting the top bit keeps every weight non-zero.
        weight[BATCH_WEIGHT_BYTES - 1] |= 0x80;
        for (let i = 0; i < item.pks.length; i++) {
          const sig = i === 0 ? item.sig : this.noSignature;
          const status = pairing.mul_n_aggregate(item.pks[i], sig, weight, item.msgs[i], item.pkBytes[i]);
          if (status !== BLST_SUCCESS) return false;
        }
      }
      pairing.commit();
      return pairing.finalverify();
    } catch {
      return false;
    }
  }
}
