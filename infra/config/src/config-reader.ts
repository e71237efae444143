/**
 * Typed reads from a parsed YAML document that collect every problem under the key that caused it, so one
 * start-up reports all mistakes at once ("payouts.minimum_payout: must be a non-negative integer of mojos")
 * instead of the first one, and keys nobody reads (typos) are reported too.
 */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}invalid pool configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

import { bytesToHex, decodeAddress } from '@pool/chia';
import { type ConfigAddress } from './config-types';

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

export class ConfigReader {
  readonly problems: string[] = [];
  private readonly consumed = new Set<string>();
  /** Every key a typed read asked for, present or not: the schema, as the code sees it. */
  readonly keysRead = new Set<string>();
  /** Keys given as addresses, with their network prefix (checked against the node's network at start-up). */
  readonly addresses: ConfigAddress[] = [];

  constructor(private readonly root: Mapping) {}

  /** The raw value at a dotted path, marking the path (and its parents) as known. */
  private raw(path: string): unknown {
    const parts = path.split('.');
    let node: unknown = this.root;
    for (let i = 0; i < parts.length; i++) {
      this.consumed.add(parts.slice(0, i + 1).join('.'));
      if (!isMapping(node)) return undefined;
      node = node[parts[i]!];
    }
    // YAML `key:` with nothing after it means "not set", like leaving the key out.
    return node === null ? undefined : node;
  }

  private fail(path: string, message: string): undefined {
    this.problems.push(`${path}: ${message}`);
    return undefined;
  }

  private value(path: string): unknown {
    this.keysRead.add(path);
    return this.raw(path);
  }

  /** The value as the file has it, for a key whose shape the caller checks itself (e.g. boolean or list). */
  rawValue(path: string): unknown {
    return this.value(path);
  }

  string(path: string, check?: { pattern?: RegExp; describe?: string; minLength?: number }): string | undefined {
    const value = this.value(path);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return this.fail(path, `must be a string${check?.describe ? ` (${check.describe})` : ''}`);
    if (check?.minLength !== undefined && value.length < check.minLength) return this.fail(path, `must be at least ${check.minLength} characters`);
    if (check?.pattern && !check.pattern.test(value)) return this.fail(path, `must be ${check.describe ?? `a string matching ${check.pattern}`}`);
    return value;
  }

  oneOf<T extends string>(path: string, choices: readonly T[]): T | undefined {
    const value = this.value(path);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      return this.fail(path, `must be one of ${choices.join(', ')}`);
    }
    return value as T;
  }

  boolean(path: string): boolean | undefined {
    const value = this.value(path);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') return this.fail(path, 'must be true or false');
    return value;
  }

  /** A JavaScript-safe integer in [min, max]; `unit` names what it counts in the message. */
  integer(path: string, range: { min: number; max?: number; unit?: string }): number | undefined {
    const value = this.value(path);
    if (value === undefined) return undefined;
    const max = range.max ?? Number.MAX_SAFE_INTEGER;
    const n = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : undefined;
    if (n === undefined || n < BigInt(range.min) || n > BigInt(max)) {
      const bounds = range.max === undefined ? `>= ${range.min}` : `between ${range.min} and ${range.max}`;
      return this.fail(path, `must be an integer ${bounds}${range.unit ? ` (${range.unit})` : ''}`);
    }
    return Number(n);
  }

  /**
   * An exact non-negative integer of any size (mojos, difficulty). YAML integers are parsed as bigint, and a
   * quoted decimal string is accepted too, so nothing passes through a float.
   */
  bigint(path: string, what: string, min = 0n): bigint | undefined {
    const value = this.value(path);
    if (value === undefined) return undefined;
    let n: bigint | undefined;
    if (typeof value === 'bigint') n = value;
    else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
    else if (typeof value === 'string' && /^\d+$/.test(value.replace(/_/g, ''))) n = BigInt(value.replace(/_/g, ''));
    if (n === undefined || n < min) return this.fail(path, min === 0n ? `must be a non-negative integer ${what}` : `must be an integer >= ${min} ${what}`);
    return n;
  }

  /** Hex of exactly `bytes` bytes, with or without 0x; returned lower-case without the prefix. */
  hex(path: string, bytes: number, what: string): string | undefined {
    const value = this.value(path);
    if (value === undefined) return undefined;
    const text = typeof value === 'string' ? value.toLowerCase().replace(/^0x/, '') : '';
    if (!new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(text)) return this.fail(path, `must be ${bytes} bytes of hex (${what})`);
    return text;
  }

  /**
   * A puzzle hash as 32 bytes of hex or as an address (bech32m, `xch1...` / `txch1...`), as pool-reference takes its
   * addresses; returned as hex. The address's network prefix is kept in `addresses`, since which network is right
   * is known only once the node answers.
   */
  puzzleHash(path: string, what: string): string | undefined {
    const value = this.value(path);
    if (value === undefined) return undefined;
    const text = typeof value === 'string' ? value.trim() : '';
    if (/^(0x)?[0-9a-fA-F]{64}$/.test(text)) return text.toLowerCase().replace(/^0x/, '');
    // Anything with bech32's separator that is not hex is meant as an address: say why it is not one.
    if (/^[a-z0-9]+1[a-z0-9]+$/i.test(text) && !/^(0x)?[0-9a-f]*$/i.test(text)) {
      try {
        const decoded = decodeAddress(text);
        this.addresses.push({ key: path, prefix: decoded.prefix });
        return bytesToHex(decoded.puzzleHash);
      } catch (error) {
        return this.fail(path, `${(error as Error).message} (${what})`);
      }
    }
    return this.fail(path, `must be 32 bytes of hex or an address, xch1... or txch1... (${what})`);
  }

  /** Hex of at least `minBytes` bytes. */
  hexAtLeast(path: string, minBytes: number, what: string): string | undefined {
    const value = this.value(path);
    if (value === undefined) return undefined;
    const text = typeof value === 'string' ? value.toLowerCase().replace(/^0x/, '') : '';
    if (!/^([0-9a-f]{2})+$/.test(text) || text.length < minBytes * 2) return this.fail(path, `must be at least ${minBytes} bytes of hex (${what})`);
    return text;
  }

  /** Reports every key in the document that no read asked for: a misspelt key must not be silently ignored. */
  reportUnknownKeys(): void {
    const walk = (node: Mapping, prefix: string): void => {
      for (const [key, value] of Object.entries(node)) {
        const path = prefix ? `${prefix}.${key}` : key;
        if (!this.consumed.has(path)) this.problems.push(`${path}: unknown key`);
        else if (isMapping(value)) walk(value, path);
      }
    };
    walk(this.root, '');
  }

  /** A section that is present must be a mapping. */
  section(path: string): void {
    const value = this.raw(path);
    if (value !== undefined && !isMapping(value)) this.fail(path, 'must be a mapping of keys');
  }
}

export { isMapping };
