/**
 * JSON for Chia RPC bodies, exact for integers of any size.
 *
 * Chia's RPC servers write uint64/uint128 values (mojo amounts, `space`, `weight`, `total_iters`...) as bare
 * JSON numbers, and `JSON.parse` rounds every integer above 2^53 to the nearest double. This parser keeps
 * them exact:
 *   - an integer literal (no fraction, no exponent) becomes a `number` when it is a safe integer
 *     (|n| <= 2^53 - 1) and a `bigint` otherwise;
 *   - a literal with a fraction or an exponent (Chia's floats, e.g. `time_received`) becomes a `number`.
 * So a value is a bigint exactly when it could not have been held by a number; typed decoders accept both
 * and widen to bigint where the field is a quantity.
 *
 * The serializer writes bigint as a bare JSON number (Chia reads amounts with `uint64(int)`, which accepts
 * numbers, not strings) and refuses a `number` that is an integer beyond 2^53: such a value has already
 * lost precision on the way in, and sending it would pay or spend an amount nobody asked for.
 */

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export class JsonParseError extends SyntaxError {
  constructor(
    message: string,
    /** Offset in the input (UTF-16 code units) where parsing stopped. */
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = 'JsonParseError';
  }
}

export interface ParseOptions {
  /** Nesting limit for arrays/objects; deeper input is rejected instead of overflowing the stack. */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 512;
/** Integer literals with at most this many digits always fit a double exactly (10^15 < 2^53). */
const ALWAYS_SAFE_DIGITS = 15;

export function parseChiaJson(text: string, options: ParseOptions = {}): JsonValue {
  const parser = new Parser(text, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  parser.skipWhitespace();
  const value = parser.parseValue(0);
  parser.skipWhitespace();
  if (!parser.atEnd()) parser.fail('Unexpected trailing characters');
  return value;
}

class Parser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(message: string): never {
    throw new JsonParseError(message, this.pos);
  }

  skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      pos++;
    }
    this.pos = pos;
  }

  parseValue(depth: number): JsonValue {
    if (this.atEnd()) this.fail('Unexpected end of input');
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.parseObject(depth + 1);
      case '[':
        return this.parseArray(depth + 1);
      case '"':
        return this.parseString();
      case 't':
        return this.parseLiteral('true', true);
      case 'f':
        return this.parseLiteral('false', false);
      case 'n':
        return this.parseLiteral('null', null);
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.parseNumber();
        return this.fail(`Unexpected character ${JSON.stringify(c)}`);
    }
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('Invalid literal');
    this.pos += word.length;
    return value;
  }

  private enter(depth: number): void {
    if (depth > this.maxDepth) this.fail(`Nesting deeper than ${this.maxDepth}`);
  }

  private parseObject(depth: number): JsonObject {
    this.enter(depth);
    this.pos++; // {
    const result: JsonObject = {};
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail('Expected a string key');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail("Expected ':'");
      this.pos++;
      this.skipWhitespace();
      const value = this.parseValue(depth);
      if (key === '__proto__') {
        // Assignment would replace the object's prototype; like JSON.parse, keep it an own data property.
        Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        result[key] = value;
      }
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === '}') return result;
      if (next !== ',') {
        this.pos--;
        this.fail("Expected ',' or '}'");
      }
    }
  }

  private parseArray(depth: number): JsonValue[] {
    this.enter(depth);
    this.pos++; // [
    const result: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      result.push(this.parseValue(depth));
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === ']') return result;
      if (next !== ',') {
        this.pos--;
        this.fail("Expected ',' or ']'");
      }
    }
  }

  parseString(): string {
    const text = this.text;
    this.pos++; // opening quote
    let out = '';
    let chunkStart = this.pos;
    for (;;) {
      if (this.pos >= text.length) this.fail('Unterminated string');
      const c = text.charCodeAt(this.pos);
      if (c === 0x22) {
        out += text.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('Control character in string');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += text.slice(chunkStart, this.pos);
      out += this.parseEscape();
      chunkStart = this.pos;
    }
  }

  private parseEscape(): string {
    const escape = this.text[this.pos + 1];
    this.pos += 2;
    switch (escape) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u': {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\u escape');
        this.pos += 4;
        // Each \uXXXX is one UTF-16 code unit; a surrogate pair written as two escapes joins up by itself.
        return String.fromCharCode(parseInt(hex, 16));
      }
      default:
        this.pos -= 2;
        return this.fail('Invalid escape');
    }
  }

  private parseNumber(): number | bigint {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text[pos] === '-') pos++;
    if (text[pos] === '0') {
      pos++;
    } else if (isDigit(text, pos)) {
      while (isDigit(text, pos)) pos++;
    } else {
      this.pos = pos;
      this.fail('Invalid number');
    }
    let isInteger = true;
    if (text[pos] === '.') {
      isInteger = false;
      pos++;
      if (!isDigit(text, pos)) {
        this.pos = pos;
        this.fail('Expected a digit after the decimal point');
      }
      while (isDigit(text, pos)) pos++;
    }
    if (text[pos] === 'e' || text[pos] === 'E') {
      isInteger = false;
      pos++;
      if (text[pos] === '+' || text[pos] === '-') pos++;
      if (!isDigit(text, pos)) {
        this.pos = pos;
        this.fail('Expected a digit in the exponent');
      }
      while (isDigit(text, pos)) pos++;
    }
    this.pos = pos;
    const literal = text.slice(start, pos);
    if (!isInteger) return Number(literal);
    const digitCount = literal[0] === '-' ? literal.length - 1 : literal.length;
    if (digitCount <= ALWAYS_SAFE_DIGITS) return Number(literal);
    const exact = BigInt(literal);
    return exact >= MIN_SAFE && exact <= MAX_SAFE ? Number(exact) : exact;
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

function isDigit(text: string, pos: number): boolean {
  const c = text.charCodeAt(pos);
  return c >= 0x30 && c <= 0x39;
}

/**
 * Serializes plain data (null, boolean, finite number, bigint, string, arrays, plain objects) to compact JSON.
 * Object properties whose value is `undefined` are left out (so optional request fields can be passed as
 * undefined); anything else that JSON cannot represent exactly throws a TypeError/RangeError.
 */
export function stringifyChiaJson(value: unknown): string {
  const writer = new Writer();
  writer.write(value);
  return writer.parts.join('');
}

class Writer {
  readonly parts: string[] = [];
  private readonly ancestors = new Set<object>();
  /** Keys and indexes down to the value being written; joined into a path only for an error message. */
  private readonly trail: (string | number)[] = [];

  write(value: unknown): void {
    switch (typeof value) {
      case 'string':
        this.parts.push(JSON.stringify(value));
        return;
      case 'boolean':
        this.parts.push(value ? 'true' : 'false');
        return;
      case 'bigint':
        this.parts.push(value.toString());
        return;
      case 'number':
        if (!Number.isFinite(value)) throw new RangeError(`${this.path()}: ${value} has no JSON form`);
        if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
          throw new RangeError(`${this.path()}: integer ${value} is beyond 2^53 and already inexact; pass a bigint`);
        }
        this.parts.push(Object.is(value, -0) ? '0' : String(value));
        return;
      case 'object':
        if (value === null) {
          this.parts.push('null');
          return;
        }
        if (this.ancestors.has(value)) throw new TypeError(`${this.path()}: circular structure`);
        this.ancestors.add(value);
        if (Array.isArray(value)) this.writeArray(value);
        else if (isPlainObject(value)) this.writeObject(value);
        else throw new TypeError(`${this.path()}: ${Object.prototype.toString.call(value)} is not plain JSON data`);
        this.ancestors.delete(value);
        return;
      default:
        throw new TypeError(`${this.path()}: a ${typeof value} has no JSON form`);
    }
  }

  private writeArray(items: readonly unknown[]): void {
    this.parts.push('[');
    for (let index = 0; index < items.length; index++) {
      if (index > 0) this.parts.push(',');
      this.trail.push(index);
      this.write(items[index]);
      this.trail.pop();
    }
    this.parts.push(']');
  }

  private writeObject(object: object): void {
    this.parts.push('{');
    let first = true;
    for (const key of Object.keys(object)) {
      const item: unknown = (object as Record<string, unknown>)[key];
      if (item === undefined) continue;
      if (!first) this.parts.push(',');
      first = false;
      this.parts.push(JSON.stringify(key), ':');
      this.trail.push(key);
      this.write(item);
      this.trail.pop();
    }
    this.parts.push('}');
  }

  private path(): string {
    return '$' + this.trail.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
