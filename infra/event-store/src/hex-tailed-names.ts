/**
 * Most of a ledger's streams are named by a 32-byte id in hex (`partial-<proofHash>`, `farmer-<launcherId>`,
 * `reward-<coinId>`): stored as the name's head and the id's bytes, such a name takes 40 bytes instead of 72, in the
 * events table and in each index over it. Both SQL adapters spell names this way (each marks it in its own way).
 */

/** The bytes of a name's id. */
export const ID_BYTES = 32;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ID_HEX = /^[0-9a-f]{64}$/;

/** The id a name ends in, in hex, when the name is a printable head and 64 lowercase hex digits; undefined otherwise. */
export function nameId(name: string): string | undefined {
  if (name.length < 2 * ID_BYTES) return undefined;
  const id = name.slice(name.length - 2 * ID_BYTES);
  return ID_HEX.test(id) && PRINTABLE_ASCII.test(name.slice(0, name.length - id.length)) ? id : undefined;
}

/** `prefix` bytes, the name's head (printable ASCII) and its id's bytes; undefined when the name does not end in such an id. */
export function hexTailedNameBytes(name: string, prefix: readonly number[] = []): Buffer | undefined {
  const id = nameId(name);
  if (id === undefined) return undefined;
  return Buffer.concat([Buffer.from(prefix), Buffer.from(name.slice(0, name.length - id.length), 'latin1'), Buffer.from(id, 'hex')]);
}

/** The name hexTailedNameBytes spelled, from its bytes after the `prefix` it was given. */
export function hexTailedName(bytes: Buffer, prefixLength = 0): string {
  const head = bytes.length - ID_BYTES;
  return bytes.toString('latin1', prefixLength, head) + bytes.toString('hex', head);
}
