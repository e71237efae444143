import { createHash } from 'node:crypto';

/** Namespace for the ledger's name-based UUIDs (a fixed random UUID; never change it). */
export const LEDGER_NAMESPACE = '6f1c2a4e-9b3d-4e57-8a0c-3d2f1b7e5c94';

/**
 * RFC 4122 version-5 UUID of `parts` in the ledger namespace. Deriving an event's id from what makes
 * the fact unique (a proof hash, a coin id) means a retried command can never record it twice.
 */
export function deterministicEventId(...parts: readonly string[]): string {
  const namespace = Buffer.from(LEDGER_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespace).update(parts.join('\u001f'), 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return uuidFromHex(bytes.toString('hex'));
}

/** A UUID's 32 hex digits in its usual spelling, dashes after the 8th, 12th, 16th and 20th. */
export function uuidFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
