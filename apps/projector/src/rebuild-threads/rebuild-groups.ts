import type { Projection } from '@pool/read-models';

/**
 * Projections split into at most `threads` groups of about equal rebuild work (Projection.rebuildWeight): the
 * heaviest first, each into the lightest group so far. Groups keep the callers' order within them, and the
 * heaviest group comes first (its thread reports the progress, being the last to finish).
 */
export function rebuildGroups<P extends Pick<Projection, 'name' | 'rebuildWeight'>>(projections: readonly P[], threads: number): P[][] {
  const weight = (projection: P): number => projection.rebuildWeight ?? 1;
  const groups: { members: P[]; weight: number }[] = Array.from({ length: Math.max(1, Math.min(threads, projections.length)) }, () => ({
    members: [],
    weight: 0,
  }));
  const heaviestFirst = [...projections].sort((a, b) => weight(b) - weight(a));
  for (const projection of heaviestFirst) {
    const lightest = groups.reduce((best, group) => (group.weight < best.weight ? group : best));
    lightest.members.push(projection);
    lightest.weight += weight(projection);
  }
  return groups
    .filter((group) => group.members.length > 0)
    .sort((a, b) => b.weight - a.weight)
    .map((group) => projections.filter((projection) => group.members.includes(projection)));
}
