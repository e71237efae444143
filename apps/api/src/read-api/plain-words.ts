import type { PartialRevertReason } from '@pool/domain';

/** Why the pool took a partial back, as a farmer would want it explained. */
const REVERT_REASONS: Readonly<Record<PartialRevertReason, string>> = {
  signage_point_reverted: 'the signage point it answered was dropped from the chain, so the proof no longer counts',
  reorg: 'a chain reorganisation removed the blocks the partial was confirmed against',
  duplicate: 'the same proof had already been credited',
  left_pool: 'the plot NFT had left the pool when the partial was checked',
};

export function revertReasonInWords(reason: string | null): string | null {
  if (reason === null) return null;
  return REVERT_REASONS[reason as PartialRevertReason] ?? `reverted (${reason})`;
}

/** What a partial's status means to the farmer. */
export function partialStatusInWords(status: string): string {
  switch (status) {
    case 'submitted':
      return 'accepted, waiting for the confirmation delay before its points count';
    case 'confirmed':
      return 'confirmed: its points count towards the next payout';
    case 'reverted':
      return 'reverted: its points were taken back';
    default:
      return status;
  }
}

/** A partial's result explained: why it was reverted, or what its status means. */
export function partialResultInWords(status: string, reason: string | null): string | null {
  return status === 'reverted' ? revertReasonInWords(reason) : partialStatusInWords(status);
}
