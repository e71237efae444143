/**
 * The keys requests are counted under, read cheaply before anything is verified: nothing here trusts the
 * request, it only names whose budget it spends.
 */

/**
 * The client address a request counts against: IPv4 as it is (an IPv4-mapped IPv6 address as its IPv4), IPv6 by
 * its /64 network, since one subscriber usually holds a whole /64 and could otherwise take a fresh address (and a
 * fresh bucket) for every request.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const groups = expandIpv6(ip.replace(/%.*$/, ''));
  return groups === undefined ? ip : `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (lower case, no leading zeros), or undefined if it is not one. */
function expandIpv6(ip: string): string[] | undefined {
  const halves = ip.toLowerCase().split('::');
  if (halves.length > 2) return undefined;
  const part = (text: string | undefined): string[] => (text ? text.split(':') : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  // An embedded IPv4 tail (::ffff:1.2.3.4 was handled above; 64:ff9b::1.2.3.4 here) counts as two groups.
  const last = tail.length > 0 ? tail : head;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(last[last.length - 1] ?? '');
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    last.splice(last.length - 1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => group.replace(/^0+(?=.)/, ''));
}

/** An own property of a plain object (never an array's element or anything from a prototype). */
function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}

const LAUNCHER_ID = /^(?:0x)?([0-9a-fA-F]{64})$/;

/**
 * The launcher id a protocol request names, wherever its route carries it: the query (GET /farmer, /login,
 * /v2/login, /v2/auth), the payload (POST /partial, POST and PUT /farmer and their v2 forms) or the body itself.
 * Only a well-formed 32-byte id counts: anything else is refused by validation before any crypto, and must not
 * fill the launcher buckets with junk keys.
 */
export function launcherIdOf(request: { query?: unknown; body?: unknown }): string | undefined {
  for (const candidate of [field(request.query, 'launcher_id'), field(field(request.body, 'payload'), 'launcher_id'), field(request.body, 'launcher_id')]) {
    if (typeof candidate !== 'string') continue;
    const id = LAUNCHER_ID.exec(candidate)?.[1];
    if (id !== undefined) return id.toLowerCase();
  }
  return undefined;
}
