import { deciderSpecification } from '@pool/testing';
import { chainReorgDecider, type RecordReorg } from './chain-reorg.decider';
import type { ChainReorgDetected } from './chain.events';

const spec = deciderSpecification(chainReorgDecider);

const record = (changes: Partial<RecordReorg> = {}): RecordReorg => ({
  type: 'RecordReorg',
  forkHeight: 100,
  firstOrphanedHash: 'aa',
  depth: 3,
  oldPeak: { height: 103, headerHash: 'o3' },
  newPeak: { height: 104, headerHash: 'n4' },
  safeDepth: 6,
  now: 5000,
  ...changes,
});

const detected = (changes: Partial<ChainReorgDetected['data']> = {}): ChainReorgDetected => ({
  type: 'ChainReorgDetected',
  data: {
    reorgId: '100:aa',
    forkHeight: 100,
    depth: 3,
    oldPeak: { height: 103, headerHash: 'o3' },
    newPeak: { height: 104, headerHash: 'n4' },
    safeDepth: 6,
    deep: false,
    at: 5000,
    ...changes,
  },
});

describe('chain reorg decider', () => {
  it('records a shallow reorg as not deep', () => {
    spec.given([]).when(record()).then([detected()]);
  });

  it('marks a reorg deeper than the safety depth as deep, and one exactly at it as not', () => {
    spec
      .given([])
      .when(record({ depth: 7, oldPeak: { height: 107, headerHash: 'o7' } }))
      .then([detected({ depth: 7, oldPeak: { height: 107, headerHash: 'o7' }, deep: true })]);
    spec.given([]).when(record({ depth: 6, safeDepth: 6 })).then([detected({ depth: 6 })]);
  });

  it('records a reorg once even when a second observer saw a later peak of the new branch', () => {
    spec
      .given([detected()])
      .when(record({ newPeak: { height: 109, headerHash: 'n9' }, now: 6000 }))
      .then([]);
  });

  it('records a different reorg at the same fork height (another orphaned branch)', () => {
    spec.given([detected()]).when(record({ firstOrphanedHash: 'bb' })).then([detected({ reorgId: '100:bb' })]);
  });

  it('refuses nonsense depths', () => {
    spec.given([]).when(record({ depth: 0 })).thenThrows('REQUEST_FAILED', /depth/);
    spec.given([]).when(record({ safeDepth: -1 })).thenThrows('REQUEST_FAILED', /safe depth/);
  });
});
