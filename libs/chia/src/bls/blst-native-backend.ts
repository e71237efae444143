import { randomBytes } from 'node:crypto';
import type { Blst, P1_Affine, P2_Affine, Pairing } from '@chainsafe/blst/dist/bindings';
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

/**
 * Batch items per Miller-loop context: a partial's two pairs times 4 fill one round of blst's multi-Miller loop
 * (N_MAX = 8 pairs, blst/src/aggregate.c), so the all-good path costs what one context for the batch did.
 */
const ITEMS_PER_CONTEXT = 4;

/** Committed Miller loops of the batch items [from, to). */
interface WeightedContext {
  readonly from: number;
  readonly to: number;
  readonly pairing: Pairing;
}

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
    if (pending.length === 1) {
      results[pending[0]!.index] = this.pairingCheck(pending[0]!.item);
    } else if (pending.length > 1) {
      const verdicts = this.weightedBatchVerdicts(pending.map((p) => p.item));
      pending.forEach(({ index }, i) => (results[index] = verdicts[i]!));
    }
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
   * Random-linear-combination check: every pair and signature of item k is scaled by a secret random weight w_k,
   * so a combined equation over items holds with a bad item among them only with negligible probability, and holds
   * for good items whatever their weights (w_k is invertible in the group's order).
   *
   * The items' Miller loops are run once, in contexts of ITEMS_PER_CONTEXT items, and kept: the batch holds when
   * their product does (one final exponentiation). When it does not, halving the contexts finds the failing ones
   * again from the kept loops (a product and a final exponentiation per look); only the items of a failing context
   * are checked alone. One bad signature in a batch of 64 then costs about 1.2 all-good batches where checking every
   * item again cost 2.4: with 1 % of partials badly signed, half the batches of 64 hold one.
   */
  private weightedBatchVerdicts(items: readonly DecodedItem[]): boolean[] {
    const verdicts = new Array<boolean>(items.length).fill(true);
    const weights = randomBytes(items.length * BATCH_WEIGHT_BYTES);
    const contexts: WeightedContext[] = [];
    for (let from = 0; from < items.length; from += ITEMS_PER_CONTEXT) {
      const to = Math.min(items.length, from + ITEMS_PER_CONTEXT);
      const pairing = this.weightedPairing(items, weights, from, to);
      if (pairing !== undefined) contexts.push({ from, to, pairing });
      else for (let k = from; k < to; k++) verdicts[k] = this.pairingCheck(items[k]!);
    }
    // A failing context may have been inferred rather than looked at: its items are judged alone either way.
    for (const failing of this.failingContexts(contexts, false)) for (let k = failing.from; k < failing.to; k++) verdicts[k] = this.pairingCheck(items[k]!);
    return verdicts;
  }

  /** The Miller loops of items[from, to), weighted, committed; undefined when one of them would not aggregate. */
  private weightedPairing(items: readonly DecodedItem[], weights: Buffer, from: number, to: number): Pairing | undefined {
    try {
      const pairing = new this.blst.Pairing(true, AUG_SCHEME_DST);
      for (let k = from; k < to; k++) {
        const item = items[k]!;
        const weight = weights.subarray(k * BATCH_WEIGHT_BYTES, (k + 1) * BATCH_WEIGHT_BYTES);
        // Scalars are little-endian here; setting the top bit keeps every weight non-zero.
        weight[BATCH_WEIGHT_BYTES - 1]! |= 0x80;
        for (let i = 0; i < item.pks.length; i++) {
          const sig = i === 0 ? item.sig : this.noSignature;
          if (pairing.mul_n_aggregate(item.pks[i]!, sig, weight, item.msgs[i]!, item.pkBytes[i]) !== BLST_SUCCESS) return undefined;
        }
      }
      pairing.commit();
      return pairing;
    } catch {
      return undefined;
    }
  }

  /**
   * The contexts among `contexts` whose equation fails, by halving. `failsAsAWhole`: the caller already knows their
   * product fails, so when the left half holds the right half must fail (the final exponentiation is multiplicative)
   * and is split without a look of its own.
   */
  private failingContexts(contexts: readonly WeightedContext[], failsAsAWhole: boolean): WeightedContext[] {
    if (contexts.length === 0 || (!failsAsAWhole && this.productHolds(contexts))) return [];
    if (contexts.length === 1) return [...contexts];
    const half = contexts.length >> 1;
    const left = this.failingContexts(contexts.slice(0, half), false);
    return [...left, ...this.failingContexts(contexts.slice(half), left.length === 0)];
  }

  private productHolds(contexts: readonly WeightedContext[]): boolean {
    try {
      if (contexts.length === 1) return contexts[0]!.pairing.finalverify();
      // merge() leaves the merged context as it was, so each context's loops serve every look.
      const product = new this.blst.Pairing(true, AUG_SCHEME_DST);
      for (const { pairing } of contexts) if (product.merge(pairing) !== BLST_SUCCESS) return false;
      return product.finalverify();
    } catch {
      return false;
    }
  }
}
