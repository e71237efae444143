import { StreamableError } from './streamable-error';

/** Growable output buffer for Streamable encoding. */
export class ByteWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  writeBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  writeByte(value: number): void {
    this.reserve(1);
    this.buffer[this.length] = value;
    this.length += 1;
  }

  /** Big-endian unsigned integer of `byteWidth` bytes; the caller has range-checked `value`. */
  writeUint(value: bigint, byteWidth: number): void {
    this.reserve(byteWidth);
    let rest = value;
    for (let i = byteWidth - 1; i >= 0; i -= 1) {
      this.buffer[this.length + i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
    this.length += byteWidth;
  }

  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

/** Cursor over Streamable input; every read names the field it was reading when the input runs out. */
export class ByteReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** The unread input without copying or consuming it. */
  viewRemaining(): Uint8Array {
    return this.bytes.subarray(this.offset);
  }

  peekByte(path: string): number {
    this.ensure(1, path);
    return this.bytes[this.offset] as number;
  }

  readBytes(count: number, path: string): Uint8Array {
    this.ensure(count, path);
    const out = this.bytes.slice(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  readByte(path: string): number {
    this.ensure(1, path);
    const value = this.bytes[this.offset] as number;
    this.offset += 1;
    return value;
  }

  readUint(byteWidth: number, path: string): bigint {
    this.ensure(byteWidth, path);
    let value = 0n;
    for (let i = 0; i < byteWidth; i += 1) {
      value = (value << 8n) | BigInt(this.bytes[this.offset + i] as number);
    }
    this.offset += byteWidth;
    return value;
  }

  /** Rejects input that continues after a complete value: Chia's parser does the same. */
  assertFullyConsumed(path: string): void {
    if (this.remaining !== 0) {
      throw new StreamableError(
        path,
        `${this.remaining} trailing byte(s) after the end of the value (consumed ${this.offset} of ${this.bytes.length})`,
      );
    }
  }

  private ensure(count: number, path: string): void {
    if (this.remaining < count) {
      throw new StreamableError(
        path,
        `input too short: needs ${count} byte(s) at offset ${this.offset}, only ${this.remaining} left`,
      );
    }
  }
}
