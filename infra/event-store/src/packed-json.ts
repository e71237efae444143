import { nameId } from './hex-tailed-names';

/**
 * Packed JSON: how a SQL ledger of format 2 (ledger-format.ts) stores an event's data and metadata. It is JSON's data model in
 * bytes, read back to exactly what JSON.parse makes of the JSON text it replaces (same values, same key order), so
 * every reader, the seals and the audit see what they saw before. It is smaller where the ledger repeats itself:
 *
 * - hex strings (ids, hashes, keys: lowercase, whole bytes) are stored as their bytes, half their text;
 * - decimal strings (points, mojos: canonical, up to 15 digits) and integers are stored as varints;
 * - object keys the ledger's events use are one byte, an index into KEYS; other keys are spelled out;
 * - from format 3 on, the 32-byte id the event's stream is named by (the proof hash of `partial-<proofHash>`)
 *   is one byte wherever the data repeats it: the reader knows the stream, so the id is stored once, in its name;
 * - and, given a dictionary (es_values of a format 3 ledger), a hex value of up to MAX_SHARED_VALUE_BYTES under one of
 *   the keys whose values many events share (SHARED_VALUE_KEYS: a farmer's launcher id, a harvester, a plot, a signage
 *   point) is the number of its entry there.
 *
 * A value is a tag byte and what the tag says follows. Varints are unsigned LEB128. Tags past SHARED are unused, so
 * a later format can add some; KEYS only ever grows at its end (a stored index must keep naming the same key).
 */

const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  /** A non-negative safe integer: varint. */
  Natural = 3,
  /** A negative safe integer: varint of its magnitude. */
  Negative = 4,
  /** Any other number: float64, little-endian. */
  Float = 5,
  /** A string: varint byte length, UTF-8. */
  Text = 6,
  /** A string of lowercase hex digits, an even number of them (at least 2): varint byte length, the bytes. */
  Hex = 7,
  /** A string holding a canonical decimal ("0" or no leading zero, up to 15 digits): varint of its value. */
  Decimal = 8,
  /** An array: varint count, the values. */
  Array = 9,
  /** An object: varint count, then per property its key (varint: < KEYS.length an index, else KEYS.length + byte length, UTF-8) and value. */
  Object = 10,
  /** The id the event's stream name ends in, in hex (streamIdOf): the reader is given the stream with the bytes. */
  StreamId = 11,
  /** A hex string kept in the dictionary (ValueDictionary): varint, its number there. */
  Shared = 12,
}

/**
 * Where a ledger keeps the values many of its events share, each once: their numbers for the packer, their hex for the
 * reader. A number once given names the same value for good.
 */
export interface ValueDictionary {
  numberOf(hex: string): number;
  hexOf(number: number): string;
}

/**
 * The keys whose hex values the ledger repeats across many events and streams: a farmer's launcher id (every partial
 * and confirmation), its harvesters, its plots (key and id: a plot's every partial) and a signage point (every partial
 * of it). Kept in the dictionary when the packer is given one; other values, and these under other keys, in place.
 */
export const SHARED_VALUE_KEYS: ReadonlySet<string> = new Set(['launcherId', 'harvesterId', 'plotPublicKey', 'plotId', 'signagePointHash']);

/**
 * The longest value kept in the dictionary, in bytes: the shared values are 32-byte ids and 48-byte keys, and a longer
 * one (none the pool writes) stays in place rather than in an index that holds keys of bounded size (PostgreSQL's
 * refuses one over about 2.7 KB). Readers take either spelling, so the bound can change without a new format.
 */
const MAX_SHARED_VALUE_BYTES = 64;

/**
 * The keys of the pool's events, the most frequent first (the partials', then the refusals', the farmers', the
 * payouts' and the rest). Append only: an index stored in a ledger must keep naming the same key.
 */
export const KEYS: readonly string[] = [
  'launcherId', 'proofHash', 'points', 'signagePointHash', 'receivedAt', 'plotSize', 'harvesterId', 'plotPublicKey',
  'plotId', 'endOfSubSlot', 'farmerVersion', 'harvesterVersion', 'userAgent', 'confirmedAt', 'reason', 'wasConfirmed',
  'revertedAt', 'forkHeight', 'errorCode', 'protocolVersion', 'from', 'to', 'changedAt', 'graceUntil', 'type', 'data',
  'payoutId', 'amount', 'puzzleHash', 'coinId', 'transactions', 'sequence', 'fee', 'previousPosition', 'poolFee',
  'payoutPuzzleHash', 'payoutInstructions', 'blockchainFee', 'authenticationPublicKey', 'windowSeconds', 'windowPoints',
  'willRetry', 'wasAbsorbed', 'updatedAt', 'transactionId', 'spentCoins', 'spendBundle', 'snapshot', 'signedAt',
  'settled', 'sealedAt', 'scheme', 'safeDepth', 'rewardTotal', 'rewardCoinIds', 'returnedFunds', 'resolvedAt', 'reorgId',
  'registeredAt', 'predicted', 'poolFeePuzzleHash', 'poolCoinId', 'plannedAt', 'payments', 'parentCoinId',
  'ownerPublicKey', 'oldPeak', 'newPeak', 'name', 'minimumPayout', 'memos', 'maxTotalPerRun', 'maxRecipientsPerRun',
  'maxPerRecipient', 'maxAdditionsPerTransaction', 'ledgerPosition', 'launcherIds', 'landedTransactions', 'inputCoinIds',
  'index', 'height', 'headerHash', 'hash', 'feeEstimate', 'feeBasisPoints', 'farmedHeight', 'failedAt',
  'eventDigests', 'eventCount', 'encoding', 'digest', 'difficulty', 'detectedAt', 'depth', 'delayTime',
  'delayPuzzleHash', 'deficitRecovered', 'deep', 'decision', 'createdCoins', 'coveredPosition', 'confirmedHeight',
  'configVersion', 'commitment', 'coinSpends', 'closedPosition', 'closedAt', 'change', 'carried', 'bumpedHeight',
  'bumpedAt', 'blockchainFeePerTransaction', 'attempt', 'at', 'allocations', 'aggregatedSignature', 'additions',
  'absorbedHeight', 'absorbedAt', 'absorbTransactionId',
];

const KEY_INDEX = new Map(KEYS.map((key, i) => [key, i]));
const HEX = /^(?:[0-9a-f]{2})+$/;
/** A string packed as its bytes: lowercase hex of whole bytes. */
const isHex = (value: string): boolean => value.length % 2 === 0 && HEX.test(value);
const DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;

/**
 * The id a stream name ends in, in hex, that packed data may point to instead of repeating it: the id of a name the
 * SQL ledgers store as its head and bytes (hex-tailed-names.ts); undefined for other names. Writer and reader derive
 * it from the same name, so they agree.
 */
export const streamIdOf = nameId;

/**
 * The packed bytes of a JSON value (what JSON.parse returns: null, booleans, numbers, strings, arrays, plain objects).
 * Given the event's `stream` (format 3), a string equal to the id the stream's name ends in (streamIdOf) is
 * stored as one byte; given a `dictionary`, a hex value under a SHARED_VALUE_KEYS key (up to 64 bytes) is stored as its number there. A
 * reader must be given the same stream and dictionary.
 */
export function packJson(value: unknown, stream?: string, dictionary?: ValueDictionary): Buffer {
  const writer = new Writer(stream === undefined ? undefined : streamIdOf(stream), dictionary);
  writer.value(value);
  return writer.bytes();
}

/** The JSON value packed in `bytes` (of an event of `stream`, which format 3 data may point to); throws on bytes that are not exactly one packed value. */
export function unpackJson(bytes: Uint8Array, stream?: string, dictionary?: ValueDictionary): unknown {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Reader(buffer, buffer.length, stream, dictionary).whole();
}

/**
 * The JSON value packed in bytes spelled in hex (either case) up to the first character that is not a hex digit, as
 * a reader asks SQLite for them (ledger-row-format.ts): a string costs far less to hand over than a Buffer of its
 * own per row. The bytes are written into one buffer kept for the purpose, so reading a row allocates nothing but
 * its values (hex values are cut from that buffer into strings of their own, never slices of the row's text).
 */
export function unpackJsonHex(hex: string, stream?: string, dictionary?: ValueDictionary): unknown {
  const length = writeScratch(hex);
  const rest = hex.length - 2 * length;
  if (rest > 0 && NIBBLE_CHARS.test(hex.slice(2 * length, 2 * length + 2))) throw new Error(`packed JSON in hex has a stray digit or character at ${2 * length}`);
  return new Reader(scratch, length, stream, dictionary).whole();
}

/**
 * The dictionary numbers (Tag.Shared) in packed JSON spelled in hex as unpackJsonHex takes it, added to `into`, without
 * building its values: a reader looks them all up at once before it decodes a page of rows, rather than one by one.
 */
export function sharedNumbersInHex(hex: string, into: Set<number>): void {
  // The length first: writing may replace the scratch buffer.
  const length = writeScratch(hex);
  new Skimmer(scratch, length, into).value();
}

/** The dictionary numbers (Tag.Shared) in packed `bytes`, added to `into`, as sharedNumbersInHex does for hex. */
export function sharedNumbers(bytes: Uint8Array, into: Set<number>): void {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  new Skimmer(buffer, buffer.length, into).value();
}

/**
 * The hex values packJson(value, stream, dictionary) would ask a dictionary for, added to `into`: a writer whose
 * dictionary is reached asynchronously (PostgreSQL's es_values) looks them all up first, then packs.
 */
export function sharedValuesIn(value: unknown, stream: string | undefined, into: Set<string>): void {
  packJson(value, stream, {
    numberOf: (hex) => (into.add(hex), 0),
    hexOf: () => {
      throw new Error('a packer never reads its dictionary');
    },
  });
}

let scratch = Buffer.alloc(4096);

/** Writes the bytes `hex` spells into the scratch buffer (grown when too small); how many it wrote. */
function writeScratch(hex: string): number {
  if (scratch.length * 2 < hex.length) scratch = Buffer.alloc(Math.max(hex.length, 2 * scratch.length));
  return scratch.write(hex, 0, 'hex');
}
/** Where Buffer.write stopped: a hex digit there is a lone one (an odd count) or one before a stray character. */
const NIBBLE_CHARS = /^[0-9a-fA-F]/;

class Writer {
  private buffer = Buffer.allocUnsafe(512);
  private length = 0;

  constructor(
    private readonly streamId: string | undefined,
    private readonly dictionary: ValueDictionary | undefined,
  ) {}

  bytes(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }

  value(value: unknown): void {
    if (value === null) return this.byte(Tag.Null);
    switch (typeof value) {
      case 'boolean':
        return this.byte(value ? Tag.True : Tag.False);
      case 'number':
        return this.number(value);
      case 'string':
        return this.string(value);
      case 'object':
        return Array.isArray(value) ? this.array(value) : this.object(value as Record<string, unknown>);
      default:
        throw new TypeError(`packed JSON holds JSON values only, not a ${typeof value}`);
    }
  }

  private number(value: number): void {
    if (Number.isSafeInteger(value)) {
      this.byte(value >= 0 ? Tag.Natural : Tag.Negative);
      return this.varint(Math.abs(value));
    }
    if (!Number.isFinite(value)) throw new TypeError(`packed JSON holds finite numbers only, not ${value}`);
    this.byte(Tag.Float);
    this.room(8);
    this.length = this.buffer.writeDoubleLE(value, this.length);
  }

  private string(value: string): void {
    if (value === this.streamId) {
      this.byte(Tag.StreamId);
    } else if (isHex(value)) {
      this.byte(Tag.Hex);
      this.varint(value.length / 2);
      this.room(value.length / 2);
      this.length += this.buffer.write(value, this.length, 'hex');
    } else if (DECIMAL.test(value)) {
      this.byte(Tag.Decimal);
      this.varint(Number(value));
    } else {
      this.byte(Tag.Text);
      this.utf8(value);
    }
  }

  private array(values: unknown[]): void {
    this.byte(Tag.Array);
    this.varint(values.length);
    for (const item of values) this.value(item);
  }

  private object(value: Record<string, unknown>): void {
    const keys = Object.keys(value);
    this.byte(Tag.Object);
    this.varint(keys.length);
    for (const key of keys) {
      const index = KEY_INDEX.get(key);
      if (index !== undefined) this.varint(index);
      else this.utf8(key, KEYS.length);
      const member = value[key];
      if (
        this.dictionary !== undefined &&
        SHARED_VALUE_KEYS.has(key) &&
        typeof member === 'string' &&
        member.length <= 2 * MAX_SHARED_VALUE_BYTES &&
        member !== this.streamId &&
        isHex(member)
      ) {
        this.byte(Tag.Shared);
        this.varint(this.dictionary.numberOf(member));
      } else {
        this.value(member);
      }
    }
  }

  /** UTF-8 bytes after their length, plus `bias` (a spelled-out key's length follows KEYS' indexes). */
  private utf8(value: string, bias = 0): void {
    const length = Buffer.byteLength(value, 'utf8');
    this.varint(bias + length);
    this.room(length);
    this.length += this.buffer.write(value, this.length, 'utf8');
  }

  private varint(value: number): void {
    this.room(8);
    while (value >= 0x80) {
      this.buffer[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buffer[this.length++] = value;
  }

  private byte(value: number): void {
    this.room(1);
    this.buffer[this.length++] = value;
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/**
 * The shapes of objects whose keys all come from KEYS, as a tree by key order, each with a template: an object of
 * those keys made by JSON.parse, which sizes it to hold them all in itself. Bounded by the shapes the ledger's events
 * have (objects keyed by anything else are built key by key).
 */
class Shape {
  /** By the next key's index in KEYS. */
  private readonly children: (Shape | undefined)[] = [];
  private made?: Record<string, unknown>;

  next(index: number): Shape {
    return (this.children[index] ??= new Shape());
  }

  template(keys: readonly string[]): Record<string, unknown> {
    this.made ??= JSON.parse(JSON.stringify(Object.fromEntries(keys.map((key) => [key, null])))) as Record<string, unknown>;
    return this.made;
  }
}

const SHAPES = new Shape();

/** Walks one packed value of the first `end` bytes of a buffer, noting the dictionary numbers it holds. */
class Skimmer {
  private offset = 0;

  constructor(
    private readonly buffer: Buffer,
    private readonly end: number,
    private readonly numbers: Set<number>,
  ) {}

  value(): void {
    const tag = this.buffer[this.offset++];
    switch (tag) {
      case Tag.Null:
      case Tag.False:
      case Tag.True:
      case Tag.StreamId:
        return;
      case Tag.Natural:
      case Tag.Negative:
      case Tag.Decimal:
        return void this.varint();
      case Tag.Float:
        this.offset += 8;
        return;
      case Tag.Text:
      case Tag.Hex: {
        // Read first: `offset += varint()` would add to the offset from before the varint.
        const length = this.varint();
        this.offset += length;
        return;
      }
      case Tag.Shared:
        this.numbers.add(this.varint());
        return;
      case Tag.Array:
        for (let count = this.varint(); count > 0 && this.offset < this.end; count--) this.value();
        return;
      case Tag.Object:
        for (let count = this.varint(); count > 0 && this.offset < this.end; count--) {
          const key = this.varint();
          if (key >= KEYS.length) this.offset += key - KEYS.length;
          this.value();
        }
        return;
      default:
        // Not packed JSON this walk knows: the reader that decodes it says what is wrong.
        this.offset = this.end;
    }
  }

  private varint(): number {
    let value = 0;
    let scale = 1;
    while (this.offset < this.end) {
      const byte = this.buffer[this.offset++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
    return value;
  }
}

/** Reads one packed value from the first `end` bytes of a buffer. */
class Reader {
  offset = 0;

  constructor(
    private readonly buffer: Buffer,
    private readonly end: number,
    /** The event's stream, whose id Tag.StreamId stands for (worked out only when met: most data holds none). */
    private readonly stream: string | undefined,
    private readonly dictionary: ValueDictionary | undefined,
  ) {}

  whole(): unknown {
    const value = this.value();
    if (this.offset !== this.end) throw new Error(`packed JSON has ${this.end - this.offset} bytes after its value`);
    return value;
  }

  value(): unknown {
    const tag = this.byte();
    switch (tag) {
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Natural:
        return this.varint();
      case Tag.Negative:
        return -this.varint();
      case Tag.Float: {
        this.need(8);
        const value = this.buffer.readDoubleLE(this.offset);
        this.offset += 8;
        return value;
      }
      case Tag.Text:
        return this.text(this.varint());
      case Tag.Hex: {
        const length = this.varint();
        this.need(length);
        return this.buffer.toString('hex', this.offset, (this.offset += length));
      }
      case Tag.Decimal:
        return String(this.varint());
      case Tag.Array: {
        const count = this.varint();
        const values: unknown[] = [];
        for (let i = 0; i < count; i++) values.push(this.value());
        return values;
      }
      case Tag.Object:
        return this.object(this.varint());
      case Tag.StreamId: {
        const id = this.stream === undefined ? undefined : streamIdOf(this.stream);
        if (id === undefined) throw new Error(`packed JSON points to its stream's id at byte ${this.offset - 1}, but its stream ${this.stream ?? '(not given)'} is not named by one`);
        return id;
      }
      case Tag.Shared: {
        const number = this.varint();
        if (this.dictionary === undefined) throw new Error(`packed JSON names dictionary value ${number} at byte ${this.offset}, but the reader was given no dictionary`);
        return this.dictionary.hexOf(number);
      }
      default:
        throw new Error(`packed JSON has an unknown tag ${tag} at byte ${this.offset - 1}`);
    }
  }

  /**
   * An object of `count` properties. One whose keys all come from KEYS (an event's data, nearly always) is a copy of
   * a template of its shape with its values set: like JSON.parse's objects, it holds its properties in itself. Built
   * key by key, it would keep most of them in a second array that grows in steps.
   */
  private object(count: number): Record<string, unknown> {
    const keys: string[] = [];
    const values: unknown[] = [];
    let shape: Shape | undefined = SHAPES;
    for (let i = 0; i < count; i++) {
      const index = this.varint();
      const known = index < KEYS.length;
      const key = known ? KEYS[index]! : this.text(index - KEYS.length);
      shape = known ? shape?.next(index) : undefined;
      keys.push(key);
      values.push(this.value());
    }
    const object: Record<string, unknown> = shape === undefined ? {} : { ...shape.template(keys) };
    for (let i = 0; i < count; i++) {
      // As JSON.parse does: "__proto__" is an own property like any other, not the object's prototype.
      if (keys[i] === '__proto__') Object.defineProperty(object, '__proto__', { value: values[i], enumerable: true, writable: true, configurable: true });
      else object[keys[i]!] = values[i];
    }
    return object;
  }

  private text(length: number): string {
    this.need(length);
    return this.buffer.toString('utf8', this.offset, (this.offset += length));
  }

  private varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.byte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
      if (scale >= 2 ** 56) throw new Error(`packed JSON has a varint longer than 8 bytes at byte ${this.offset}`);
    }
  }

  private byte(): number {
    this.need(1);
    return this.buffer[this.offset++]!;
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.end) throw new Error(`packed JSON ends early: ${bytes} more bytes wanted at byte ${this.offset}`);
  }
}
