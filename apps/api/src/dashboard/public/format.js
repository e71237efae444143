// Formatting for the dashboard. Values arrive as decimal strings (mojos, points, bytes) and stay strings: integers
// are formatted exactly, never through a float, except bytes, which are shown rounded (the exact figure is kept in
// data-value by whoever shows them).

/** "1234567" as "1,234,567". */
export function fmtInt(value) {
  if (value === null || value === undefined) return '–';
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1234.50" as "1,234.5": separators on the whole part, trailing zeros dropped. */
export function fmtDecimal(value) {
  if (value === null || value === undefined) return '–';
  const [whole, fraction = ''] = String(value).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${fmtInt(whole)}${trimmed ? `.${trimmed}` : ''}`;
}

const MOJOS_PER_XCH = 12;
/** Decimals an amount is shown with: a millionth of an XCH is far below what any farmer is paid or charged. */
const SHOWN_DECIMALS = 6;

/** Mojos as exact XCH, every decimal kept (trailing zeros dropped): what a tooltip or a copy shows. */
export function exactXch(mojos) {
  if (mojos === null || mojos === undefined) return '–';
  const negative = String(mojos).startsWith('-');
  const digits = String(mojos).replace('-', '').padStart(MOJOS_PER_XCH + 1, '0');
  const whole = digits.slice(0, -MOJOS_PER_XCH).replace(/^0+(?=\d)/, '');
  const fraction = digits.slice(-MOJOS_PER_XCH).replace(/0+$/, '');
  return `${negative ? '-' : ''}${fmtInt(whole)}${fraction ? `.${fraction}` : ''} XCH`;
}

/**
 * Mojos as XCH rounded half up to six decimals ("1.75 XCH", "0.012346 XCH"), exact in BigInt. An amount that
 * would round to zero but is not zero (dust) is shown exactly, so a farmer never reads "0" for money it has.
 */
export function fmtXch(mojos) {
  if (mojos === null || mojos === undefined) return '–';
  const value = BigInt(mojos);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const unit = 10n ** BigInt(MOJOS_PER_XCH - SHOWN_DECIMALS);
  const rounded = (magnitude + unit / 2n) / unit; // in millionths of an XCH
  if (rounded === 0n && magnitude !== 0n) return exactXch(mojos);
  const digits = rounded.toString().padStart(SHOWN_DECIMALS + 1, '0');
  const whole = digits.slice(0, -SHOWN_DECIMALS);
  const fraction = digits.slice(-SHOWN_DECIMALS).replace(/0+$/, '');
  return `${negative && rounded !== 0n ? '-' : ''}${fmtInt(whole)}${fraction ? `.${fraction}` : ''} XCH`;
}

/** Bytes in binary units with two decimals (display only: the exact figure travels in data-value). */
export function fmtBytes(bytes) {
  if (bytes === null || bytes === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB'];
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(2)} ${units[unit]}`;
}

/** Unix seconds as "2026-01-02 03:04 UTC" (ledger time is UTC). */
export function fmtTime(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A percent string from the API ("123.45") as "123.45 %", or a dash. */
export const fmtPercent = (value) => (value === null || value === undefined ? '–' : `${fmtDecimal(value)} %`);

/** A 64-hex id shortened for a narrow column: its first 8 and last 6 digits. */
export const short = (hex) => (hex ? `${hex.slice(0, 8)}…${hex.slice(-6)}` : '–');
