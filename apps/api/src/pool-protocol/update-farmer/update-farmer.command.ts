import { Command } from '@nestjs/cqrs';
import { type PutFarmerRequestAnyEdition } from '@pool/chia';

/** For each field the farmer sent, whether it changed (`authentication_public_key`, `payout_instructions`, `suggested_difficulty`). */
export type UpdateFarmerResult = Record<string, boolean>;

/** PUT /farmer (protocol 1: signed by the plot NFT's owner key) and PUT /v2/farmer (protocol 2: the JWT authenticates). */
export class UpdateFarmerCommand extends Command<UpdateFarmerResult> {
  constructor(
    readonly request: PutFarmerRequestAnyEdition,
    readonly protocol: 1 | 2,
  ) {
    super();
  }
}
