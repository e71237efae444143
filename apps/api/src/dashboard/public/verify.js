// A farmer's payout line checked in the browser, with nothing but the proof the pool serves and the browser's own
// SHA-256 (WebCrypto): the same hashing as libs/domain/src/payouts/payout-commitment.ts and docs/payout-commitments.md,
// written again here so that the check does not run code the pool sends as data.

const MEMO_PREFIX = 'chia-pool-ledger/1';

function bytesOfHex(hex) {
  const clean = String(hex).toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{64}$/.test(clean)) throw new Error(`not 32 bytes of hex: ${hex}`);
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

const hexOf = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

async function sha256(...parts) {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

/** SHA-256(0x00 ‖ launcher id ‖ puzzle hash ‖ amount as 8 bytes big-endian). */
export async function leafOf(allocation) {
  const amount = BigInt(allocation.amount);
  if (amount < 0n || amount >= 1n << 64n) throw new Error(`amount ${allocation.amount} is not a uint64`);
  const amountBytes = new Uint8Array(8);
  new DataView(amountBytes.buffer).setBigUint64(0, amount);
  return hexOf(await sha256(Uint8Array.of(0), bytesOfHex(allocation.launcherId), bytesOfHex(allocation.puzzleHash), amountBytes));
}

/** The root a leaf and its steps lead to: each step hashes SHA-256(0x01 ‖ left ‖ right), the sibling on its side. */
export async function rootOf(leaf, proof) {
  let node = bytesOfHex(leaf);
  for (const step of proof) {
    const sibling = bytesOfHex(step.hash);
    if (step.side !== 'left' && step.side !== 'right') throw new Error(`a proof step is on side ${step.side}`);
    node = step.side === 'left' ? await sha256(Uint8Array.of(1), sibling, node) : await sha256(Uint8Array.of(1), node, sibling);
  }
  return hexOf(node);
}

export const memoOf = (payoutId, c) => `${MEMO_PREFIX} payout=${payoutId} seal=${c.sealSequence} seal_hash=${c.sealHash} allocations_root=${c.allocationsRoot}`;

/**
 * Each check of the proof, in order: the line hashes to the leaf, the leaf leads to the committed root, the memo says
 * what its fields say. What only the chain and an export can say is left to `poolctl verify-payout` (listed after).
 */
export async function checkProof(proof) {
  const checks = [];
  const add = (name, ok, detail) => checks.push({ name, ok, detail });
  try {
    const leaf = await leafOf(proof.allocation);
    add('leaf', leaf === proof.leaf, `your line (${proof.allocation.launcherId}, ${proof.allocation.puzzleHash}, ${proof.allocation.amount} mojos) hashes to ${leaf}`);
    const root = await rootOf(leaf, proof.proof);
    add('root', root === proof.commitment.allocationsRoot, `with ${proof.proof.length} step(s) it leads to root ${root}; the commitment names ${proof.commitment.allocationsRoot}`);
    const memo = memoOf(proof.payoutId, proof.commitment);
    add('memo', memo === proof.commitment.memo, `the memo the transactions carry: "${proof.commitment.memo}"`);
  } catch (error) {
    add('proof', false, String(error.message ?? error));
  }
  return checks;
}
