import { createHash, hkdfSync, pbkdf2Sync } from 'node:crypto';
import { sha256 } from '../util/hash';
import { bigEndianToBigInt, bigIntToBytes32, concatBytes, uint32BigEndian } from './bls-bytes';
import { CURVE_ORDER, MAX_CHILD_INDEX, PUBLIC_KEY_BYTES, SECRET_KEY_BYTES } from './bls-constants';

/*
 * Chia's key generation and hierarchical derivation, written on node:crypto so every backend (and the tests)
 * share one implementation that only needs a curve for sk -> pk. Chia uses the IETF bls-sig draft-03 KeyGen
 * (the salt is NOT hashed) and the pre-final EIP-2333 Lamport step, so "standard" EIP-2333 helpers differ.
 */

const KEYGEN_SALT = Buffer.from('BLS-SIG-KEYGEN-SALT-', 'utf8');
/** info = I2OSP(L, 2) with L = 48: 48 bytes of HKDF output keep the mod-r bias negligible. */
const KEYGEN_INFO = Uint8Array.of(0x00, 0x30);
const KEYGEN_OKM_BYTES = 48;
const MIN_SEED_BYTES = 32;
/** Each Lamport half is 255 chunks of 32 bytes, the maximum HKDF-SHA256 output. */
const LAMPORT_CHUNKS = 255;
const LAMPORT_CHUNK_BYTES = 32;

/** Parses a 32-byte big-endian secret key and checks it is a scalar below r; throws otherwise. */
export function secretKeyToScalar(sk: Uint8Array): bigint {
  if (!(sk instanceof Uint8Array) || sk.length !== SECRET_KEY_BYTES) {
    throw new Error(`secret key must be ${SECRET_KEY_BYTES} bytes`);
  }
  const scalar = bigEndianToBigInt(sk);
  if (scalar >= CURVE_ORDER) throw new Error('secret key is not below the curve order r');
  return scalar;
}

export function assertChildIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > MAX_CHILD_INDEX) {
    throw new Error(`child index must be an integer in [0, ${MAX_CHILD_INDEX}], got ${index}`);
  }
}

export function assertPublicKeyLength(pk: Uint8Array): void {
  if (!(pk instanceof Uint8Array) || pk.length !== PUBLIC_KEY_BYTES) {
    throw new Error(`public key must be ${PUBLIC_KEY_BYTES} bytes`);
  }
}

/** Chia `AugSchemeMPL.key_gen(seed)`: HKDF-SHA256(salt, seed || 0x00, info 0x0030, 48 bytes) mod r. */
export function chiaKeyGen(seed: Uint8Array): Uint8Array {
  if (!(seed instanceof Uint8Array) || seed.length < MIN_SEED_BYTES) {
    throw new Error(`key_gen seed must be at least ${MIN_SEED_BYTES} bytes`);
  }
  const okm = hkdfSync('sha256', concatBytes(seed, Uint8Array.of(0)), KEYGEN_SALT, KEYGEN_INFO, KEYGEN_OKM_BYTES);
  return bigIntToBytes32(bigEndianToBigInt(new Uint8Array(okm)) % CURVE_ORDER);
}

/** Hashes each 32-byte chunk of one Lamport secret half into the running compressed-pk digest. */
function absorbLamportHalf(digest: ReturnType<typeof createHash>, ikm: Uint8Array, salt: Uint8Array): void {
  const half = new Uint8Array(hkdfSync('sha256', ikm, salt, new Uint8Array(0), LAMPORT_CHUNKS * LAMPORT_CHUNK_BYTES));
  for (let offset = 0; offset < half.length; offset += LAMPORT_CHUNK_BYTES) {
    digest.update(sha256(half.subarray(offset, offset + LAMPORT_CHUNK_BYTES)));
  }
}

/** Hardened child (Chia `derive_child_sk`): key_gen of the compressed Lamport public key of (sk, ~sk). */
export function chiaDeriveChildSkHardened(sk: Uint8Array, index: number): Uint8Array {
  secretKeyToScalar(sk);
  assertChildIndex(index);
  const salt = uint32BigEndian(index);
  const complement = sk.map((byte) => byte ^ 0xff);
  const digest = createHash('sha256');
  absorbLamportHalf(digest, sk, salt);
  absorbLamportHalf(digest, complement, salt);
  return chiaKeyGen(new Uint8Array(digest.digest()));
}

/** The scalar both unhardened derivations add: OS2IP(sha256(pk48 || u32be(index))) mod r. */
export function unhardenedOffset(pk: Uint8Array, index: number): bigint {
  assertPublicKeyLength(pk);
  assertChildIndex(index);
  return bigEndianToBigInt(sha256(concatBytes(pk, uint32BigEndian(index)))) % CURVE_ORDER;
}

/** Unhardened child secret key: (sk + offset(pk(sk), index)) mod r; `pk` must be sk's public key. */
export function chiaDeriveChildSkUnhardened(sk: Uint8Array, pk: Uint8Array, index: number): Uint8Array {
  const scalar = secretKeyToScalar(sk);
  return bigIntToBytes32((scalar + unhardenedOffset(pk, index)) % CURVE_ORDER);
}

/** Chia key fingerprint: the first 4 bytes of sha256(pk48) as a big-endian uint32. */
export function chiaFingerprint(pk: Uint8Array): number {
  assertPublicKeyLength(pk);
  const digest = sha256(pk);
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

/**
 * BIP-39 seed as Chia computes it (`mnemonic_to_seed`): PBKDF2-HMAC-SHA512 over the NFKD mnemonic with
 * salt "mnemonic" + passphrase, 2048 rounds, 64 bytes. The word list / checksum is not validated here.
 */
export function mnemonicToSeed(mnemonic: string, passphrase = ''): Uint8Array {
  // Whitespace is kept as given, exactly like Chia: a different spacing is a different seed.
  const words = mnemonic.normalize('NFKD');
  const salt = `mnemonic${passphrase}`.normalize('NFKD');
  return new Uint8Array(pbkdf2Sync(Buffer.from(words, 'utf8'), Buffer.from(salt, 'utf8'), 2048, 64, 'sha512'));
}
