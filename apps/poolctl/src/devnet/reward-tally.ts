import { REWARD_EVENT_TYPES, rewardDecider, type RewardEvent, type RewardState } from '@pool/domain';
import { type EventStore, type GlobalPosition } from '@pool/event-sourcing';

export interface RewardTally {
  /** Rewards standing now (detected or absorbed; reverted ones are not counted). */
  detected: number;
  absorbed: number;
  reverted: number;
  absorbedMojos: bigint;
}

/** Counts the rewards by their state in the ledger (every reward stream folded with the decider). */
export async function tallyRewards(store: Pick<EventStore, 'readAll'>): Promise<RewardTally> {
  const states = new Map<string, RewardState>();
  let after: GlobalPosition | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000, filter: { types: [...REWARD_EVENT_TYPES] } });
    for (const event of page) {
      const typed = { type: event.type, data: event.data } as RewardEvent;
      states.set(typed.data.coinId, rewardDecider.evolve(states.get(typed.data.coinId) ?? rewardDecider.initialState(), typed));
    }
    if (page.length > 0) after = page[page.length - 1]!.position;
    if (page.length < 1000) break;
  }
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
