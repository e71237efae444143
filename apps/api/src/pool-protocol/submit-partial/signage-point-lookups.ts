import { type FullNodeRpc } from '@pool/chia';

/**
 * Concurrent lookups of the same signage point share one RPC call: every farmer's partials for a signage point
 * arrive within seconds of each other, and each answer is as fresh as a call made for that partial alone
 * (nothing is kept once the call settles).
 */
export function coalescingSignagePointLookups(chain: Pick<FullNodeRpc, 'getRecentSignagePointOrEos'>): Pick<FullNodeRpc, 'getRecentSignagePointOrEos'> {
  const inFlight = new Map<string, ReturnType<FullNodeRpc['getRecentSignagePointOrEos']>>();
  return {
    getRecentSignagePointOrEos(query) {
      const key = 'spHash' in query ? `sp:${query.spHash}` : `eos:${query.challengeHash}`;
      let pending = inFlight.get(key);
      if (pending === undefined) {
        pending = chain.getRecentSignagePointOrEos(query);
        inFlight.set(key, pending);
        const forget = (): void => void inFlight.delete(key);
        pending.then(forget, forget);
      }
      return pending;
    },
  };
}
