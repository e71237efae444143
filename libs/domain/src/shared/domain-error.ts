/** Why a command was refused, named in the pool protocol's terms so the api can answer with the right code. */
export type RejectionReason =
  | 'FARMER_NOT_KNOWN'
  | 'FARMER_ALREADY_KNOWN'
  | 'REQUEST_FAILED'
  | 'INVALID_DIFFICULTY'
  | 'DUPLICATE_PARTIAL'
  | 'NOT_A_MEMBER'
  | 'INVALID_STATE'
  /** Farmer area settings (farmers/farmer-settings.ts): the message says what to change. */
  | 'INVALID_DISPLAY_NAME'
  | 'INVALID_MINIMUM_PAYOUT';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
  }
}
