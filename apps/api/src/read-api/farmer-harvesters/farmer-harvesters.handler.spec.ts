import type { HarvesterRefusalCounts, HarvesterView } from '@pool/projections';
import { withRefusals } from './farmer-harvesters.handler';

const harvester = (harvesterId: string, lastSeenAt: number): HarvesterView => ({
  harvesterId,
  firstSeenAt: 100,
  lastSeenAt,
  partials: { submitted: 3, confirmed: 2, reverted: 0, last24h: 3 },
  points: { submitted: '30', confirmed: '20', reverted: '0', last24h: '30' },
  estimatedSpace: '1000',
  plotSizes: [32],
  farmerVersion: '2.5.0',
  harvesterVersion: '2.5.0',
  userAgent: 'Chia Blockchain v.2.5.0',
});
const refusals = (harvesterId: string, refused: number, lastRefusedAt: number): HarvesterRefusalCounts => ({
  harvesterId,
  refused,
  byErrorCode: [{ errorCode: 2, count: refused }],
  lastRefusedAt,
});

describe("a farmer's harvesters with their refusals", () => {
  it('counts each harvester its own refusals, none where it had none', () => {
    const rows = withRefusals([harvester('aa', 500), harvester('bb', 400)], [refusals('bb', 4, 450)]);
    expect(rows.map((row) => [row.harvesterId, row.refused])).toEqual([
      ['aa', { last24h: 0, lastRefusedAt: null }],
      ['bb', { last24h: 4, lastRefusedAt: 450 }],
    ]);
    expect(rows[1]).toMatchObject({ partials: { submitted: 3 }, estimatedSpace: '1000' });
  });

  it('lists a harvester whose every partial was refused, with nothing accepted, in order of when it was seen', () => {
    const rows = withRefusals([harvester('aa', 500)], [refusals('cc', 7, 600)]);
    expect(rows.map((row) => row.harvesterId)).toEqual(['cc', 'aa']);
    expect(rows[0]).toEqual({
      harvesterId: 'cc',
      firstSeenAt: 600,
      lastSeenAt: 600,
      partials: { submitted: 0, confirmed: 0, reverted: 0, last24h: 0 },
      points: { submitted: '0', confirmed: '0', reverted: '0', last24h: '0' },
      estimatedSpace: '0',
      plotSizes: [],
      farmerVersion: null,
      harvesterVersion: null,
      userAgent: null,
      refused: { last24h: 7, lastRefusedAt: 600 },
    });
  });
});
