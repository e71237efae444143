import { deciderSpecification } from '@pool/testing';
import { partialDecider, type SubmitPartial } from './partial.decider';
import type { PartialEvent } from './partial.events';

const spec = deciderSpecification(partialDecider);
const submit: SubmitPartial = {
  type: 'SubmitPartial',
  launcherId: 'aa',
  proofHash: 'p1',
  points: '25',
  signagePointHash: 'sp',
  receivedAt: 100,
  plotSize: 32,
};
const submitted: PartialEvent = { type: 'PartialSubmitted', data: (({ type: _t, ...d }) => d)(submit) };
const confirmed: PartialEvent = { type: 'PartialConfirmed', data: { launcherId: 'aa', proofHash: 'p1', points: '25', confirmedAt: 400 } };

describe('partial decider', () => {
  it('records a submission once and refuses the same proof again', () => {
    spec.given([]).when(submit).then([submitted]);
    spec.given([submitted]).when(submit).thenThrows('DUPLICATE_PARTIAL', /already submitted/);
  });

  it('confirms a submitted partial once', () => {
    spec.given([submitted]).when({ type: 'ConfirmPartial', now: 400 }).then([confirmed]);
    spec.given([submitted, confirmed]).when({ type: 'ConfirmPartial', now: 500 }).then([]);
    spec.given([]).when({ type: 'ConfirmPartial', now: 400 }).thenThrows('INVALID_STATE');
  });

  it('reverts pending and confirmed partials, saying which it was, and only once', () => {
    spec
      .given([submitted])
      .when({ type: 'RevertPartial', reason: 'signage_point_reverted', now: 300 })
      .then([
        {
          type: 'PartialReverted',
          data: { launcherId: 'aa', proofHash: 'p1', points: '25', reason: 'signage_point_reverted', wasConfirmed: false, revertedAt: 300 },
        },
      ]);
    spec
      .given([submitted, confirmed])
      .when({ type: 'RevertPartial', reason: 'reorg', forkHeight: 77, now: 900 })
      .then([
        {
          type: 'PartialReverted',
          data: { launcherId: 'aa', proofHash: 'p1', points: '25', reason: 'reorg', wasConfirmed: true, revertedAt: 900, forkHeight: 77 },
        },
      ]);
    spec
      .given([submitted, confirmed])
      .when({ type: 'RevertPartial', reason: 'reorg', now: 900 })
      .thenState((state) => expect(state.status).toBe('reverted'));
    spec.given([submitted, { type: 'PartialReverted', data: { launcherId: 'aa', proofHash: 'p1', points: '25', reason: 'reorg', wasConfirmed: false, revertedAt: 1 } }])
      .when({ type: 'ConfirmPartial', now: 2 })
      .then([]);
  });
});
