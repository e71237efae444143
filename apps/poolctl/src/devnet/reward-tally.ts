import { eventTypesOf, poolEvents, rewardDecider, type RewardState } from '@pool/domain';
import { LedgerFollower, type EventStore } from '@pool/event-sourcing';

export interface RewardTally {
  /** Rewards standing now (detected or absorbed; reverted ones are not counted). */
  detected: number;
  absorbed: number;
  reverted: number;
  absorbedMojos: bigint;
}

/** Counts the rewards by their state in the ledger (every reward stream folded with the decider). */
export async function tallyRewards(store: EventStore): Promise<RewardTally> {
  const states = new Map<string, RewardState>();
  await new LedgerFollower(store, poolEvents(...eventTypesOf('reward'))).catchUp((event) => {
    states.set(event.data.coinId, rewardDecider.evolve(states.get(event.data.coinId) ?? rewardDecider.initialState(), event));
  });
  const tally: RewardTally = { detected: 0, absorbed: 0, reverted: 0, absorbedMojos: 0n };
  for (const state of states.values()) {
    if (state.status === 'reverted') tally.reverted++;
    if (state.status === 'detected' || state.status === 'absorbed') tally.detected++;
    if (state.status === 'absorbed') {
      tally.absorbed++;
      tally.absorbedMojos += BigInt(state.amount);
    }
  }
  return tally;
}

/** Mojos as XCH in exact decimal (no float): 1750000000000 → "1.75". */
export function formatXch(mojos: bigint): string {
  const sign = mojos < 0n ? '-' : '';
  const abs = mojos < 0n ? -mojos : mojos;
  const whole = abs / 1_000_000_000_000n;
  const fraction = (abs % 1_000_000_000_000n).toString().padStart(12, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}
