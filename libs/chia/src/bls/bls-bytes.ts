import { bytesToHex, hexToBytes } from '../util/hex';
import { SECRET_KEY_BYTES } from './bls-constants';

/** Hex and byte helpers are shared with the rest of libs/chia; BLS adds only its integer encodings. */
export { bytesEqual, bytesToHex, concatBytes, hexToBytes } from '../util/hex';

export function uint32BigEndian(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

/** OS2IP: big-endian unsigned integer of any length. */
export function bigEndianToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytesToHex(bytes)}`);
}

/** I2OSP to 32 bytes big-endian (secret-key width); the value must be below 2^256. */
export function bigIntToBytes32(value: bigint): Uint8Array {
  return hexToBytes(value.toString(16).padStart(SECRET_KEY_BYTES * 2, '0'));
}

/** 32-byte little-endian form, which blst's SWIG binding reads as a scalar (8 bits per byte). */
export function bigIntToLittleEndian32(value: bigint): Uint8Array {
  return bigIntToBytes32(value).reverse();
}
