import { Command } from '@nestjs/cqrs';
import { type PutFarmerRequestAnyEdition } from '@pool/chia';

/** PutFarmerResponse: for each field, whether the update changed it (false when it was not sent). */
export interface UpdateFarmerResult {
  authentication_public_key: boolean;
  payout_instructions: boolean;
  suggested_difficulty: boolean;
}

/** PUT /farmer (protocol 1: signed by the plot NFT's owner key) and PUT /v2/farmer (protocol 2: the JWT authenticates). */
export class UpdateFarmerCommand extends Command<UpdateFarmerResult> {
  constructor(
    readonly request: PutFarmerRequestAnyEdition,
    readonly protocol: 1 | 2,
  ) {
    super();
  }
}
