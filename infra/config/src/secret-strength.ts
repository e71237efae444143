/**
 * Whether a secret the pool is given with a real node is one an attacker could guess. Copied placeholders and
 * hand-typed patterns are the realistic failures (nobody types 32 random bytes by accident), so the rule looks
 * for exactly those, and a value from `openssl rand -hex 32` passes it except with negligible probability
 * (for 32 random bytes, fewer than 16 distinct values happens about once in 3 * 10^16).
 *
 * The rule, for the 32-byte hex values (pool.jwt_secret_hex, pool.target_puzzle_hash; compared as bytes) and the
 * operator key (operator.api_key / POOL_OPERATOR_API_KEY; compared as characters, at least 16 of them):
 *  1. not a placeholder shipped in pool.example.yaml or infra/deploy/.env.example (SECRET_PLACEHOLDERS);
 *  2. not a shorter piece repeated ("2222…", "abab…", "deadbeefdeadbeef…");
 *  3. at least MIN_DISTINCT distinct symbols (16 bytes for a hex value, 8 characters for the key);
 *  4. at least MIN_DISTINCT distinct steps between neighbours, which catches counting runs ("000102…1f",
 *     "abcdefghijklmnop") that have many distinct symbols but no randomness.
 */

/** The secret-looking values the shipped examples hold (lower case, 0x removed): never accepted with a real node. */
export const SECRET_PLACEHOLDERS: ReadonlySet<string> = new Set([
  // pool.example.yaml: pool.target_puzzle_hash and pool.jwt_secret_hex.
  '11'.repeat(32),
  '22'.repeat(32),
  // The devnet defaults (pool-settings.ts): all zero.
  '00'.repeat(32),
  // infra/deploy/.env.example: POOL_OPERATOR_API_KEY.
  'change-me-to-a-long-random-string',
]);

export type SecretKind = 'hex' | 'key';

const MIN_DISTINCT: Readonly<Record<SecretKind, number>> = { hex: 16, key: 8 };
export const MIN_OPERATOR_KEY_LENGTH = 16;

/**
 * Why `value` is too weak to be a secret, or undefined when it passes. `hex` values are hex text (0x optional)
 * already checked for shape by the config reader; they are judged as bytes.
 */
export function secretWeakness(kind: SecretKind, value: string): string | undefined {
  const text = kind === 'hex' ? value.toLowerCase().replace(/^0x/, '') : value;
  if (SECRET_PLACEHOLDERS.has(text.toLowerCase())) return 'is a placeholder from the shipped examples';
  const symbols = kind === 'hex' ? hexBytes(text) : [...text].map((c) => c.codePointAt(0)!);
  if (kind === 'key' && symbols.length < MIN_OPERATOR_KEY_LENGTH) return `is shorter than ${MIN_OPERATOR_KEY_LENGTH} characters`;
  const period = shortestPeriod(symbols);
  if (period < symbols.length) return `repeats a piece of ${period} ${kind === 'hex' ? 'byte' : 'character'}${period === 1 ? '' : 's'}`;
  const minimum = MIN_DISTINCT[kind];
  const distinct = new Set(symbols).size;
  if (distinct < minimum) return `has only ${distinct} distinct ${kind === 'hex' ? 'bytes' : 'characters'} (a random one has at least ${minimum})`;
  const steps = new Set(symbols.slice(1).map((s, i) => s - symbols[i]!)).size;
  if (steps < minimum) return `is a regular run (only ${steps} distinct steps between neighbours; a random one has at least ${minimum})`;
  return undefined;
}

function hexBytes(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i + 1 < text.length; i += 2) bytes.push(parseInt(text.slice(i, i + 2), 16));
  return bytes;
}

/** The length of the shortest unit the sequence is made of, repeated at least twice (its length when it repeats nothing). */
function shortestPeriod(symbols: readonly number[]): number {
  for (let p = 1; p <= symbols.length / 2; p++) {
    if (symbols.every((s, i) => s === symbols[i % p])) return p;
  }
  return symbols.length;
}
