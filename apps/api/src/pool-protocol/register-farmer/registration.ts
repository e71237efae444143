import { PoolErrorCode, type PostFarmerRequest } from '@pool/chia';
import { type RegisterFarmer } from '@pool/domain';
import { type FarmerRecords } from '../authentication/farmer-records';
import { PoolProtocolError } from '../pool-protocol.error';

/** What an edition's checks establish about the farmer: everything FarmerRegistered records but the difficulty and time. */
export type RegistrationFacts = Omit<RegisterFarmer, 'type' | 'difficulty' | 'now'>;

/** One protocol edition's checks of a POST /farmer, in that edition's order; refusals are protocol errors. */
export interface RegistrationVerifier {
  verify(request: PostFarmerRequest, launcherId: string): Promise<RegistrationFacts>;
}

/** A launcher registers once (11); changes go through PUT, so the refusal names the edition's PUT route. */
export async function refuseIfRegistered(records: FarmerRecords, launcherId: string, putRoute: '/farmer' | '/v2/farmer'): Promise<void> {
  if ((await records.state(launcherId)).status === 'registered') {
    throw new PoolProtocolError(PoolErrorCode.FARMER_ALREADY_KNOWN, `farmer ${launcherId} is already registered; use PUT ${putRoute} to change it`);
  }
}
