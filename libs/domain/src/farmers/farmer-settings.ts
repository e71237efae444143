import { DomainError } from '../shared/domain-error';

/** Longest display name, in characters (code points) after normalisation: fits a leaderboard cell on a phone. */
export const DISPLAY_NAME_MAX_LENGTH = 32;

/**
 * The highest minimum payout a farmer may choose (100 XCH). Above it a typo (a few digits too many) would hold the
 * farmer's money for years, and the pool's books would carry it all that time.
 */
export const MAX_FARMER_MINIMUM_PAYOUT = 100n * 10n ** 12n;

// Letters, combining marks, digits, spaces and a few punctuation marks. No '<', '>', '"', '`', '/' or '\': names are
// escaped wherever they are shown, and refusing markup characters as well keeps a missed escape harmless. No control,
// format (bidi overrides, zero-width joiners) or other invisible characters: a name must look like what it is.
const ALLOWED = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} _.'&+#@()!-]*$/u;
// A name that reads like a launcher id or puzzle hash would pass for another farmer's on the leaderboard.
const LOOKS_LIKE_HEX_ID = /^(0x)?[0-9a-f]{12,}$/i;

/**
 * The name as it is recorded: NFC, trimmed, inner runs of white space as one space; null when nothing is left (the
 * farmer removes its name). Throws INVALID_DISPLAY_NAME, with the reason, for a name the pool does not show.
 */
export function normalizeDisplayName(input: string | null): string | null {
  if (input === null) return null;
  const name = input.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (name === '') return null;
  const length = [...name].length;
  if (length > DISPLAY_NAME_MAX_LENGTH) throw new DomainError('INVALID_DISPLAY_NAME', `a display name has at most ${DISPLAY_NAME_MAX_LENGTH} characters, this one has ${length}`);
  if (!ALLOWED.test(name)) {
    throw new DomainError(
      'INVALID_DISPLAY_NAME',
      "a display name starts with a letter or digit and holds only letters, digits, spaces and the marks _ . ' & + # @ ( ) ! -",
    );
  }
  if (LOOKS_LIKE_HEX_ID.test(name)) throw new DomainError('INVALID_DISPLAY_NAME', 'a display name may not look like a launcher id or a puzzle hash');
  return name;
}

/**
 * A farmer's own minimum payout: at least the pool's minimum (when it is set; a later rise of the pool's minimum
 * simply wins, since the planner uses the larger of the two), at most MAX_FARMER_MINIMUM_PAYOUT. Null: the pool's.
 */
export function checkFarmerMinimumPayout(minimum: bigint | null, poolMinimum: bigint): void {
  if (minimum === null) return;
  if (minimum < poolMinimum) {
    throw new DomainError('INVALID_MINIMUM_PAYOUT', `the minimum payout must be at least the pool's, ${poolMinimum} mojos; ${minimum} is below it`);
  }
  if (minimum > MAX_FARMER_MINIMUM_PAYOUT) {
    throw new DomainError('INVALID_MINIMUM_PAYOUT', `the minimum payout may be at most ${MAX_FARMER_MINIMUM_PAYOUT} mojos (100 XCH); ${minimum} is above it`);
  }
}

/**
 * Seconds between two changes of one setting of a farmer. Each change is an event of the public ledger, kept forever:
 * a farmer (or a script with its session) cannot write one a second; a typo is corrected a minute later.
 */
export const SETTINGS_COOLDOWN_SECONDS = 60;

/** Throws REQUEST_FAILED, saying when to try again, while `setting` is within its cooldown. */
export function settingsCooldown(setting: string, lastSetAt: number | undefined, now: number): void {
  if (lastSetAt === undefined || now - lastSetAt >= SETTINGS_COOLDOWN_SECONDS) return;
  throw new DomainError('REQUEST_FAILED', `the ${setting} was changed ${now - lastSetAt} s ago; try again in ${SETTINGS_COOLDOWN_SECONDS - (now - lastSetAt)} s`);
}

/** The minimum a farmer's balance must reach to be paid: the larger of the pool's and the farmer's own. */
export function effectiveMinimumPayout(poolMinimum: bigint, farmerMinimum: bigint | null | undefined): bigint {
  return farmerMinimum !== null && farmerMinimum !== undefined && farmerMinimum > poolMinimum ? farmerMinimum : poolMinimum;
}
