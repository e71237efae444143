import { createHash } from 'node:crypto';
import type { ConfirmedPartial } from '@pool/domain';

/** The proof hash of numbered partial `n`: a SHA-256 output, as a real one is. */
export const numberedProofHash = (n: number): string => createHash('sha256').update(`proof ${n}`).digest('hex');

/** Confirmed partial number `n` (the ledger's n-th, at position n), with any field replaced. */
export const numberedConfirmedPartial = (n: number, over: Partial<ConfirmedPartial> = {}): ConfirmedPartial => ({
  proofHash: numberedProofHash(n),
  launcherId: `launcher-${n % 7}`,
  points: BigInt(n + 1),
  confirmedAt: 1_700_000_000 + n,
  position: String(n).padStart(20, '0'),
  reverted: false,
  ...over,
});
