import { Command } from '@nestjs/cqrs';
import { type PostFarmerRequest } from '@pool/chia';

export interface RegisterFarmerResult {
  welcome_message: string;
}

/** POST /farmer (edition 1) and POST /v2/farmer (edition 2): a plot NFT farming to this pool asks to join. */
export class RegisterFarmerCommand extends Command<RegisterFarmerResult> {
  constructor(
    readonly request: PostFarmerRequest,
    readonly edition: 1 | 2,
  ) {
    super();
  }
}
