import { InMemoryEventStore } from '@pool/event-store';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { deciderSpecification } from '@pool/testing';
import { decodePoolEvent } from '../ledger/pool-event';
import { partialDecider, type SubmitPartial } from './partial.decider';
import { partialStream, type PartialEvent } from './partial.events';
import { PARTIAL_HEADER_MAX_LENGTH } from './partial-submitted.schema';

const spec = deciderSpecification(partialDecider);
const submit: SubmitPartial = {
  type: 'SubmitPartial',
  launcherId: 'aa',
  proofHash: 'p1',
  points: '25',
  signagePointHash: 'sp',
  receivedAt: 100,
  plotSize: 32,
  harvesterId: '11'.repeat(32),
  plotPublicKey: '22'.repeat(48),
  plotId: '33'.repeat(32),
  endOfSubSlot: false,
  farmerVersion: '2.5.0',
  harvesterVersion: '2.4.4',
  userAgent: 'Chia Blockchain v.2.5.0',
};
const submitted: PartialEvent = { type: 'PartialSubmitted', data: (({ type: _t, ...d }) => d)(submit) };
const confirmed: PartialEvent = { type: 'PartialConfirmed', data: { launcherId: 'aa', proofHash: 'p1', points: '25', confirmedAt: 400 } };

describe('partial decider', () => {
  it('records a submission once and refuses the same proof again', () => {
    spec.given([]).when(submit).then([submitted]);
    spec.given([submitted]).when(submit).thenThrows('DUPLICATE_PARTIAL', /already submitted/);
  });

  it("keeps the farmer's headers whole up to the bound, cuts longer ones and records blank ones as null", () => {
    const long = 'v'.repeat(PARTIAL_HEADER_MAX_LENGTH + 1_000);
    const [event] = partialDecider.decide({ ...submit, farmerVersion: long, harvesterVersion: '  ', userAgent: ` ${'é'.repeat(PARTIAL_HEADER_MAX_LENGTH)}x` }, { status: 'none' });
    expect(event!.type).toBe('PartialSubmitted');
    const data = event!.data as Extract<PartialEvent, { type: 'PartialSubmitted' }>['data'];
    expect(data.farmerVersion).toBe(long.slice(0, PARTIAL_HEADER_MAX_LENGTH));
    expect(data.harvesterVersion).toBeNull();
    expect(data.userAgent).toBe('é'.repeat(PARTIAL_HEADER_MAX_LENGTH));
    expect(data.harvesterId).toBe(submit.harvesterId);
  });

  it('records a submission at schema version 2 in the same stream, and reads it back whole', async () => {
    const store = new InMemoryEventStore();
    await new StreamCommandRunner(store).run(partialStream('p1'), partialDecider, submit, { cache: false, expectNew: true });
    const [recorded] = await store.readStream('partial-p1');
    expect(recorded).toMatchObject({ type: 'PartialSubmitted', schemaVersion: 2, stream: 'partial-p1' });
    expect(decodePoolEvent(recorded!)).toEqual(submitted);
    await store.close();
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
