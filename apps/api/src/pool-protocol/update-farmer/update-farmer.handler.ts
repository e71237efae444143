import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { bytesToHex, hexToBytes, PoolErrorCode, type BlsBackend, type PutFarmerRequestAnyEdition } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { farmerDecider, farmerStream, type FarmerUpdated } from '@pool/domain';
import { type StreamCommandRunner } from '@pool/event-sourcing';
import { BLS, CLOCK, COMMAND_RUNNER, POOL_CONFIG, type Clock } from '@pool/runtime';
import { requireAuthenticationKey, requireV2SigningKey } from '../authentication/authentication-keys';
import { FarmerRecords } from '../authentication/farmer-records';
import { V1Authentication } from '../authentication/v1-authentication';
import { V2Authentication } from '../authentication/v2-authentication';
import { payoutPuzzleHash } from '../payout-instructions';
import { PoolProtocolError } from '../pool-protocol.error';
import { PlotNftMembership } from '../register-farmer/plot-nft-membership';
import { putFarmerSignedMessage } from './put-farmer-signed-message';
import { UpdateFarmerCommand, type UpdateFarmerResult } from './update-farmer.command';

/** The fields of a farmer update, hex for the key; null = not sent. */
interface FarmerChange {
  authenticationPublicKey: string | null;
  payoutInstructions: string | null;
  suggestedDifficulty: bigint | null;
}

/**
 * Each protocol authenticates the update its own way; the cooldown and the minimum difficulty then apply alike to
 * both, through one UpdateFarmer decision.
 */
@CommandHandler(UpdateFarmerCommand)
export class UpdateFarmerHandler implements ICommandHandler<UpdateFarmerCommand> {
  constructor(
    @Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner,
    @Inject(BLS) private readonly bls: BlsBackend,
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
    @Inject(CLOCK) private readonly now: Clock,
    private readonly records: FarmerRecords,
    private readonly v1: V1Authentication,
    private readonly v2: V2Authentication,
    private readonly plotNft: PlotNftMembership,
  ) {}

  async execute({ request, protocol }: UpdateFarmerCommand): Promise<UpdateFarmerResult> {
    const launcherId = bytesToHex(request.request.payload.launcherId);
    const change = protocol === 1 ? await this.authenticateV1(request, launcherId) : await this.authenticateV2(request, launcherId);
    return this.apply(launcherId, change);
  }

  /**
   * PUT /farmer: key well-formed, token window (12), known farmer (10), signature by the owner key the ledger holds
   * (7), and only then the plot NFT's latest state on chain, whose owner key must have signed too (7).
   *
   * The chain read follows the plot NFT's whole history through the node (100-390 ms of CPU, growing with it), and
   * launcher ids are public: checking the signature against the registered owner key first means a forged request
   * costs one BLS verification, never a walk of the chain. A plot NFT whose owner key changed on chain since
   * registration is therefore refused here too: its new owner's signature does not verify under the registered
   * key, and no cheap check can tell that owner from a forger.
   */
  private async authenticateV1(edition: PutFarmerRequestAnyEdition, launcherId: string): Promise<FarmerChange> {
    const { request } = edition;
    const { payload } = request;
    if (payload.authenticationPublicKey !== null) requireAuthenticationKey(this.bls, payload.authenticationPublicKey);
    this.v1.checkToken(payload.authenticationToken);
    const farmer = await this.records.known(launcherId);
    const message = putFarmerSignedMessage(edition);
    const signedBy = (ownerPublicKey: string): boolean => request.signature !== null && this.bls.verify(hexToBytes(ownerPublicKey, 48), message, request.signature);
    if (!signedBy(farmer.ownerPublicKey)) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SIGNATURE, `the signature does not verify with the plot NFT's owner key registered with this pool (${farmer.ownerPublicKey})`);
    }
    // The owner key of the plot NFT's latest state: the one its owner holds now, even moments after a travel.
    const singleton = await this.plotNft.currentSingleton(launcherId);
    if (singleton.latestState.ownerPubkey !== farmer.ownerPublicKey && !signedBy(singleton.latestState.ownerPubkey)) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SIGNATURE, "the signature does not verify with the plot NFT's owner key on chain");
    }
    return {
      authenticationPublicKey: payload.authenticationPublicKey === null ? null : bytesToHex(payload.authenticationPublicKey),
      payoutInstructions: payload.payoutInstructions,
      suggestedDifficulty: payload.suggestedDifficulty,
    };
  }

  /**
   * PUT /v2/farmer: the JWT authenticates (the farmer sends no signature). A new authentication key is taken only if
   * the chain shows the plot NFT pooling here under that key: the key is part of the plot NFT's puzzle, so a token
   * holder cannot swap in a key the plot NFT does not have.
   */
  private async authenticateV2(edition: PutFarmerRequestAnyEdition, launcherId: string): Promise<FarmerChange> {
    const { payload } = edition.request;
    const token = edition.edition === 'current' ? edition.request.payload.authenticationTokenV2 : undefined;
    const farmer = await this.v2.requireFarmer(token, payload.launcherId);
    let authenticationPublicKey: string | null = null;
    if (payload.authenticationPublicKey !== null) {
      requireV2SigningKey(this.bls, payload.authenticationPublicKey);
      authenticationPublicKey = bytesToHex(payload.authenticationPublicKey);
      if (authenticationPublicKey !== farmer.authenticationPublicKey) await this.plotNft.requireV2Member(launcherId, authenticationPublicKey);
    }
    return { authenticationPublicKey, payoutInstructions: payload.payoutInstructions, suggestedDifficulty: payload.suggestedDifficulty };
  }

  /**
   * No idempotency key: the decider's cooldown refuses a second update in the window, and an update that changes
   * nothing records nothing. Answers every key of PutFarmerResponse: chia-blockchain main reads the answer with
   * PutFarmerResponse.from_json_dict (chia/farmer/farmer.py make_pool_protocol_request), which needs all three
   * keys present, as pool2-reference's put_farmer sends them. Each is true when the field was sent and changed the
   * farmer, false when it was not sent or changed nothing (a suggested difficulty below the minimum, the same
   * payout instructions).
   */
  private async apply(launcherId: string, change: FarmerChange): Promise<UpdateFarmerResult> {
    const payoutHash = change.payoutInstructions === null ? undefined : payoutPuzzleHash(change.payoutInstructions);
    const settings = this.config.settings;
    const { events } = await this.runner.run(farmerStream(launcherId), farmerDecider, {
      type: 'UpdateFarmer',
      launcherId,
      ...(change.authenticationPublicKey !== null ? { authenticationPublicKey: change.authenticationPublicKey } : {}),
      ...(change.payoutInstructions !== null ? { payoutInstructions: change.payoutInstructions, payoutPuzzleHash: payoutHash } : {}),
      ...(change.suggestedDifficulty !== null ? { suggestedDifficulty: change.suggestedDifficulty } : {}),
      minDifficulty: settings.minimumDifficulty,
      cooldownSeconds: settings.farmerUpdateCooldown,
      graceSeconds: settings.difficultyGraceSeconds,
      now: Math.floor(this.now()),
    });
    const updated = events.find((e) => e.type === 'FarmerUpdated')?.data as FarmerUpdated['data'] | undefined;
    return {
      authentication_public_key: change.authenticationPublicKey !== null && updated?.authenticationPublicKey !== undefined,
      payout_instructions: change.payoutInstructions !== null && updated?.payoutInstructions !== undefined,
      suggested_difficulty: change.suggestedDifficulty !== null && events.some((e) => e.type === 'DifficultyChanged'),
    };
  }
}
