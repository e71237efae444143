import { rebuildGroups } from './rebuild-groups';

const projection = (name: string, rebuildWeight?: number): { name: string; rebuildWeight?: number } => ({ name, rebuildWeight });
const names = (groups: { name: string }[][]): string[][] => groups.map((group) => group.map((p) => p.name));

describe('rebuildGroups', () => {
  const all = [projection('points', 1), projection('view', 7), projection('history', 8), projection('stats', 2), projection('harvesters', 8), projection('rewards'), projection('payouts', 2)];

  it('balances the weights over the threads, heaviest group first, each in the callers order', () => {
    expect(names(rebuildGroups(all, 2))).toEqual([
      ['view', 'history'],
      ['points', 'stats', 'harvesters', 'rewards', 'payouts'],
    ]);
  });

  it('puts every projection in exactly one group', () => {
    for (const threads of [1, 2, 3, 5, 7, 20]) {
      const groups = rebuildGroups(all, threads);
      expect(groups.length).toBe(Math.min(threads, all.length));
      expect(groups.flat().map((p) => p.name).sort()).toEqual(all.map((p) => p.name).sort());
    }
  });

  it('counts a projection without a weight as 1, and makes one group of everything on one thread', () => {
    expect(names(rebuildGroups([projection('a'), projection('b'), projection('c', 3)], 2))).toEqual([['c'], ['a', 'b']]);
    expect(names(rebuildGroups([projection('a'), projection('b'), projection('c'), projection('d', 2)], 2))).toEqual([['c', 'd'], ['a', 'b']]);
    expect(names(rebuildGroups(all, 1))).toEqual([all.map((p) => p.name)]);
    expect(rebuildGroups([], 4)).toEqual([]);
  });
});
