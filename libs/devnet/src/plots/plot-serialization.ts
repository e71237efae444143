import { createHash } from 'node:crypto';
import { bytesToWords, getBits, indexWidth, putBits, wordsToBytes } from './bit-words';
import { MAX_PLOT_K, MIN_PLOT_K } from './forward-propagation';
import { type PlotTables } from './plot-tables';

/**
 * A compact file form of `PlotTables`:
 *   magic "CPLDPLOT" | format version u16 | k u8 | plot id (32) | entry counts of tables 1..7 (u32 each)
 *   | bit-packed body | sha256 of everything before it (32)
 * Body, MSB first with no padding between fields: the table-7 f7 values (k bits each), then the back-pointers of
 * tables 7 down to 2 (each as wide as the index of the table below), then the table-1 x values (k bits each).
 * All integers are big-endian. Bump the version whenever the layout or the plotter's output changes.
 */

export const PLOT_FORMAT_VERSION = 1;

const MAGIC = Uint8Array.from(Buffer.from('CPLDPLOT', 'ascii'));
const HEADER_BYTES = MAGIC.length + 2 + 1 + 32 + 7 * 4;
const CHECKSUM_BYTES = 32;

/** Thrown for bytes that are not a complete, intact plot file of this format. */
export class PlotFormatError extends Error {
  override readonly name = 'PlotFormatError';
}

interface Field {
  values: Uint32Array;
  width: number;
}

/** The body fields in file order, for given tables. */
function bodyFields(tables: PlotTables): Field[] {
  const fields: Field[] = [{ values: tables.f7, width: tables.k }];
  for (let t = 7; t >= 2; t--) {
    const below = t === 2 ? tables.xs.length : tables.pointers[t - 3].length / 2;
    fields.push({ values: tables.pointers[t - 2], width: indexWidth(below) });
  }
  fields.push({ values: tables.xs, width: tables.k });
  return fields;
}

function bodyBits(fields: readonly Field[]): number {
  return fields.reduce((sum, field) => sum + field.values.length * field.width, 0);
}

export function serializePlot(tables: PlotTables): Uint8Array {
  const fields = bodyFields(tables);
  const bits = bodyBits(fields);
  const bodyBytes = Math.ceil(bits / 8);
  const words = new Uint32Array(Math.ceil(bits / 32) + 2);
  let pos = 0;
  for (const { values, width } of fields) {
    for (let i = 0; i < values.length; i++, pos += width) putBits(words, pos, values[i], width);
  }

  const out = new Uint8Array(HEADER_BYTES + bodyBytes + CHECKSUM_BYTES);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  let offset = MAGIC.length;
  view.setUint16(offset, PLOT_FORMAT_VERSION, false);
  offset += 2;
  out[offset++] = tables.k;
  out.set(tables.plotId, offset);
  offset += 32;
  for (const size of [tables.xs.length, ...tables.pointers.map((p) => p.length / 2)]) {
    view.setUint32(offset, size, false);
    offset += 4;
  }
  out.set(wordsToBytes(words, bodyBytes), HEADER_BYTES);
  const checksum = createHash('sha256').update(out.subarray(0, HEADER_BYTES + bodyBytes)).digest();
  out.set(checksum, HEADER_BYTES + bodyBytes);
  return out;
}

/**
 * Parses and checks a serialized plot. Throws `PlotFormatError` for a wrong magic or version, a bad checksum, a
 * length that does not fit the counts, or pointers that leave their table; with `expected`, also for another k or
 * plot id.
 */
export function deserializePlot(bytes: Uint8Array, expected?: { k: number; plotId: Uint8Array }): PlotTables {
  if (bytes.length < HEADER_BYTES + CHECKSUM_BYTES) throw new PlotFormatError('plot file is truncated');
  if (!Buffer.from(bytes.subarray(0, MAGIC.length)).equals(Buffer.from(MAGIC))) throw new PlotFormatError('not a devnet plot file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(MAGIC.length, false);
  if (version !== PLOT_FORMAT_VERSION) throw new PlotFormatError(`plot format version ${version}, expected ${PLOT_FORMAT_VERSION}`);
  const bodyEnd = bytes.length - CHECKSUM_BYTES;
  const checksum = createHash('sha256').update(bytes.subarray(0, bodyEnd)).digest();
  if (!checksum.equals(Buffer.from(bytes.subarray(bodyEnd)))) throw new PlotFormatError('plot file checksum mismatch');

  let offset = MAGIC.length + 2;
  const k = bytes[offset++];
  if (k < MIN_PLOT_K || k > MAX_PLOT_K) throw new PlotFormatError(`unsupported k=${k}`);
  const plotId = Uint8Array.from(bytes.subarray(offset, offset + 32));
  offset += 32;
  if (expected && (expected.k !== k || !Buffer.from(expected.plotId).equals(Buffer.from(plotId)))) {
    throw new PlotFormatError('plot file belongs to another k or plot id');
  }
  const sizes: number[] = [];
  for (let t = 1; t <= 7; t++, offset += 4) sizes.push(view.getUint32(offset, false));

  const tables: PlotTables = {
    k,
    plotId,
    f7: new Uint32Array(sizes[6]),
    pointers: sizes.slice(1).map((size) => new Uint32Array(2 * size)),
    xs: new Uint32Array(sizes[0]),
  };
  const fields = bodyFields(tables);
  const bits = bodyBits(fields);
  if (HEADER_BYTES + Math.ceil(bits / 8) !== bodyEnd) throw new PlotFormatError('plot file length does not match its table sizes');

  const words = bytesToWords(bytes.subarray(HEADER_BYTES, bodyEnd));
  let pos = 0;
  for (const { values, width } of fields) {
    for (let i = 0; i < values.length; i++, pos += width) values[i] = getBits(words, pos, width);
  }
  checkPointers(tables, sizes);
  return tables;
}

/** Every back-pointer must land inside the table below (a checksum collision aside, this guards against bugs). */
function checkPointers(tables: PlotTables, sizes: readonly number[]): void {
  for (let t = 2; t <= 7; t++) {
    const pointers = tables.pointers[t - 2];
    const below = sizes[t - 2];
    for (let i = 0; i < pointers.length; i++) {
      if (pointers[i] >= below) throw new PlotFormatError(`table ${t} points past the end of table ${t - 1}`);
    }
  }
  for (let i = 1; i < tables.f7.length; i++) {
    if (tables.f7[i] < tables.f7[i - 1]) throw new PlotFormatError('table 7 is not sorted');
  }
}
