import { StreamableError } from './streamable-error';

const CONS_MARKER = 0xff;

/**
 * Length in bytes of the one serialized CLVM program that starts at `start`. A `Program` field in a
 * Streamable has no length prefix: the serialization delimits itself (0xff = pair of two programs; a byte
 * below 0x80 = that one-byte atom; otherwise the count of leading 1-bits gives the size-prefix width).
 * Iterative, so a deeply nested hostile program cannot overflow the stack.
 */
export function clvmSerializedLength(bytes: Uint8Array, start: number, path: string): number {
  let offset = start;
  let programsLeft = 1;
  while (programsLeft > 0) {
    const first = byteAt(bytes, offset, path);
    offset += 1;
    if (first === CONS_MARKER) {
      programsLeft += 1; // a pair replaces one pending program by two
      continue;
    }
    programsLeft -= 1;
    if (first < 0x80) continue;
    offset += atomPayloadLength(bytes, offset - 1, first, path);
    if (offset > bytes.length) {
      throw new StreamableError(path, 'input too short: a serialized CLVM atom runs past the end of the input');
    }
  }
  return offset - start;
}

/** Bytes that follow the first prefix byte: the rest of the size prefix plus the atom itself. */
function atomPayloadLength(bytes: Uint8Array, prefixStart: number, first: number, path: string): number {
  let prefixWidth = 0;
  let mask = 0x80;
  while ((first & mask) !== 0) {
    prefixWidth += 1;
    mask >>= 1;
  }
  if (prefixWidth > 5) {
    throw new StreamableError(path, `invalid CLVM atom size prefix 0x${first.toString(16)}`);
  }
  let size = first & (mask - 1);
  for (let i = 1; i < prefixWidth; i += 1) {
    size = size * 256 + byteAt(bytes, prefixStart + i, path);
  }
  return prefixWidth - 1 + size;
}

function byteAt(bytes: Uint8Array, offset: number, path: string): number {
  const value = bytes[offset];
  if (value === undefined) {
    throw new StreamableError(path, 'input too short: the serialized CLVM program ends prematurely');
  }
  return value;
}
