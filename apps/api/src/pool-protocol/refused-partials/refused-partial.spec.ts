import { PoolErrorCode } from '@pool/chia';
import { REFUSAL_REASON_MAX_LENGTH } from '@pool/domain';
import { ownerOf, refusedPartialOf, type RefusedRequest } from './refused-partial';

const LAUNCHER = 'AB'.repeat(32);
const HARVESTER = 'cd'.repeat(32);
const SP = 'ef'.repeat(32);

const refused = (payload: unknown, errorCode = PoolErrorCode.TOO_LATE, message = 'too late by 3 s'): RefusedRequest => ({
  body: { payload, aggregate_signature: '0x00' },
  errorCode,
  message,
  receivedAt: 1_750_000_000.75,
  protocolVersion: 2,
});

describe('refused partials: what is kept of a refused request', () => {
  const payload = { launcher_id: `0x${LAUNCHER}`, harvester_id: HARVESTER, sp_hash: SP, end_of_sub_slot: true, proof_of_space: { junk: 1 } };

  it('names the farmer, the harvester and the signage point as sent, with the answer; an unreadable proof has no hash', () => {
    const request = refused(payload);
    expect(refusedPartialOf(request, ownerOf(request)!)).toEqual({
      launcherId: LAUNCHER.toLowerCase(),
      harvesterId: HARVESTER,
      proofHash: null,
      signagePointHash: SP,
      endOfSubSlot: true,
      errorCode: PoolErrorCode.TOO_LATE,
      reason: 'too late by 3 s',
      receivedAt: 1_750_000_000,
      protocolVersion: 2,
    });
  });

  it('keeps nothing for "farmer not known" or a body that does not name launcher, harvester and signage point', () => {
    expect(ownerOf(refused(payload, PoolErrorCode.FARMER_NOT_KNOWN))).toBeUndefined();
    for (const broken of [undefined, 'payload', [payload], { ...payload, launcher_id: 'zz' }, { ...payload, harvester_id: undefined }, { ...payload, sp_hash: 5 }]) {
      expect(ownerOf(refused(broken))).toBeUndefined();
    }
  });

  it('bounds the message kept', () => {
    const request = refused(payload, PoolErrorCode.INVALID_PROOF, 'x'.repeat(5000));
    expect(refusedPartialOf(request, ownerOf(request)!).reason).toHaveLength(REFUSAL_REASON_MAX_LENGTH);
  });
});
