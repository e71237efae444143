import { describeWithVectors } from '@pool/testing';
import { nextDifficulty, REFERENCE_DIFFICULTY_POLICY, type RecentPartial } from './difficulty.policy';

const NOW = 1_700_000_000;
const policy = REFERENCE_DIFFICULTY_POLICY;
/** `count` partials at `difficulty`, newest first, `gap` seconds apart, the newest `age` seconds old. */
const partials = (count: number, gap: number, difficulty: bigint, age = 0): RecentPartial[] =>
  Array.from({ length: count }, (_, i) => ({ timestamp: NOW - age - i * gap, difficulty }));

describe('nextDifficulty', () => {
  it('keeps the difficulty without partials, or while the window holds another difficulty', () => {
    expect(nextDifficulty(policy, [], 10n, NOW)).toBe(10n);
    const mixed = [{ timestamp: NOW, difficulty: 50n }, ...partials(299, 200, 20n, 200)];
    expect(nextDifficulty(policy, mixed, 50n, NOW)).toBe(50n);
  });

  it('raises it when partials come faster than the target and lowers it when slower', () => {
    // 300 partials over 299 * 200 s instead of 86,400 s: 20 * 86400 / 59800 = 28.9
    expect(nextDifficulty(policy, partials(300, 200, 20n), 20n, NOW)).toBe(28n);
    expect(nextDifficulty(policy, partials(300, 380, 20n), 20n, NOW)).toBe(15n);
  });

  it('scales a short window up to the target count once it spans the time target', () => {
    // 150 partials over 149 * 600 s = 89,400 s, as if 300 over 178,800 s: 20 * 86400 / 178800 = 9.66
    expect(nextDifficulty(policy, partials(150, 600, 20n), 20n, NOW)).toBe(9n);
    expect(nextDifficulty(policy, partials(150, 200, 20n), 20n, NOW)).toBe(20n);
  });

  it('drops quickly for a farmer gone quiet, never below the minimum', () => {
    expect(nextDifficulty(policy, partials(300, 200, 20n, 4 * 3600), 20n, NOW)).toBe(4n);
    expect(nextDifficulty(policy, partials(300, 200, 20n, 2 * 3600), 20n, NOW)).toBe(13n);
    expect(nextDifficulty({ ...policy, minDifficulty: 10n }, partials(300, 200, 20n, 4 * 3600), 20n, NOW)).toBe(10n);
  });

  it('keeps the difficulty when every partial shares one timestamp (the reference divided by zero)', () => {
    expect(nextDifficulty(policy, partials(300, 0, 20n), 20n, NOW)).toBe(20n);
  });

  it('stays exact for difficulties beyond 2^53', () => {
    const huge = 2n ** 60n + 7n;
    expect(nextDifficulty(policy, partials(300, 200, huge), huge, NOW)).toBe((huge * 86_400n) / (299n * 200n));
  });
});

interface DifficultyCase {
  name: string;
  current_time: number;
  time_target: number;
  number_of_partials_target: number;
  current_difficulty: number;
  min_difficulty: number;
  recent_partials: [number, number][];
  expected_new_difficulty: number;
}

describeWithVectors<{ cases: DifficultyCase[] }>('nextDifficulty: pool-reference cases', 'protocol/difficulty_adjustment.json', (v) => {
  it.each(v.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const recent = c.recent_partials.map(([timestamp, difficulty]) => ({ timestamp, difficulty: BigInt(difficulty) }));
    const result = nextDifficulty(
      { partialsTarget: c.number_of_partials_target, timeTarget: c.time_target, minDifficulty: BigInt(c.min_difficulty) },
      recent,
      BigInt(c.current_difficulty),
      c.current_time,
    );
    expect(result).toBe(BigInt(c.expected_new_difficulty));
  });
});
