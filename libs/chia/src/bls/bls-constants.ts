/** Domain separation tag of Chia's AugSchemeMPL (IETF BLS "message augmentation" ciphersuite, pk in G1). */
export const AUG_SCHEME_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_AUG_';

/** Order r of the BLS12-381 G1/G2 subgroups: secret keys and scalars live modulo r. */
export const CURVE_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

export const SECRET_KEY_BYTES = 32;
export const PUBLIC_KEY_BYTES = 48;
export const SIGNATURE_BYTES = 96;

/** Compressed encodings of the points at infinity: flag byte 0xc0 (compressed + infinity), rest zero. */
export const G1_INFINITY: Uint8Array = Uint8Array.from([0xc0, ...new Array<number>(PUBLIC_KEY_BYTES - 1).fill(0)]);
export const G2_INFINITY: Uint8Array = Uint8Array.from([0xc0, ...new Array<number>(SIGNATURE_BYTES - 1).fill(0)]);

/** Largest child index a derivation step accepts (indices are serialized as uint32 big-endian). */
export const MAX_CHILD_INDEX = 0xffffffff;
