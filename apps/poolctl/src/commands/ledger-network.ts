import { coinId, poolParentId } from '@pool/chia';
import { DEVNET_NETWORK, MAINNET_NETWORK, type NetworkConstants } from '@pool/devnet';
import { DEVNET_SPACE_CONSTANTS, MAINNET_SPACE_CONSTANTS, type PartialSubmitted, type RewardDetected, type SpaceEstimateConstants } from '@pool/domain';
import { type EventStore } from '@pool/event-sourcing';

export interface LedgerNetwork {
  network: 'mainnet' | 'devnet';
  /** The space-estimate constants the live projector used for a ledger of this network. */
  space: SpaceEstimateConstants;
  /** How it was told, for the log. */
  reason: string;
}

const MAINNET: Omit<LedgerNetwork, 'reason'> = { network: 'mainnet', space: MAINNET_SPACE_CONSTANTS };
const DEVNET: Omit<LedgerNetwork, 'reason'> = { network: 'devnet', space: DEVNET_SPACE_CONSTANTS };

/**
 * Which network a ledger was written on, from its own chain facts, so that a rebuild estimates space with the
 * constants the live projector used (the devnet run builds its read models with the devnet's; every pool on a
 * real node with mainnet's). The ledger records no network as such; two of its facts tell it without doubt:
 *
 * 1. A reward: its coin id is sha256(pool parent id || puzzle hash || amount), and the pool parent id starts with
 *    the first half of the network's genesis challenge. Recomputing the coin id with each known genesis finds
 *    the chain the coin was minted on (exact: a hash cannot match by chance).
 * 2. Without rewards, a partial's plot size: a pool on a real node judges proofs with mainnet's rules, which
 *    refuse plots below k32; only the devnet (minimum k18) accepts the small plots its farmers use.
 *
 * A ledger without partials has no space to estimate (every estimate is zero whatever the constants): mainnet's
 * constants are as good as any there.
 */
export async function ledgerNetwork(store: Pick<EventStore, 'readAll'>): Promise<LedgerNetwork> {
  const rewards = await store.readAll({ maxCount: 1, filter: { types: ['RewardDetected'] } });
  const reward = rewards[0]?.data as RewardDetected['data'] | undefined;
  if (reward !== undefined) {
    for (const [network, known] of [
      [DEVNET_NETWORK, DEVNET],
      [MAINNET_NETWORK, MAINNET],
    ] as const) {
      if (mintedOn(reward, network)) return { ...known, reason: `reward coin ${reward.coinId} was minted on the ${network.networkName} chain` };
    }
  }
  const partials = await store.readAll({ maxCount: 1, filter: { types: ['PartialSubmitted'] } });
  const partial = partials[0]?.data as PartialSubmitted['data'] | undefined;
  if (partial === undefined) return { ...MAINNET, reason: 'no partials in the ledger: space estimates are zero on any network' };
  if (partial.plotSize < MAINNET_NETWORK.minPlotSize) {
    return { ...DEVNET, reason: `a partial from a k${partial.plotSize} plot, which only the devnet accepts (mainnet's minimum is k${MAINNET_NETWORK.minPlotSize})` };
  }
  return { ...MAINNET, reason: `partials from k${partial.plotSize} plots and no devnet reward` };
}

function mintedOn(reward: RewardDetected['data'], network: NetworkConstants): boolean {
  try {
    const parentCoinInfo = poolParentId(network.genesisChallenge, reward.farmedHeight);
    return coinId({ parentCoinInfo, puzzleHash: reward.puzzleHash, amount: BigInt(reward.amount) }) === reward.coinId.replace(/^0x/, '').toLowerCase();
  } catch {
    // A malformed record cannot be placed on any chain; the plot sizes still can.
    return false;
  }
}
