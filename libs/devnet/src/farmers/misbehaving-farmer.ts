import { createHash, randomBytes } from 'node:crypto';
import { hexToBytes, type PostPartialPayload, type PostPartialRequest } from '@pool/chia';
import { PlotNftSimulator } from '../chain';
import { FarmerSigner, farmerKeysFromSeed } from './farmer-signer';
import { SimulatedFarmer, type PoolAnswer, type SimulatedFarmerOptions } from './simulated-farmer';

/** What a misbehaviour sent and what the pool answered. */
export interface Misbehaviour {
  request: PostPartialRequest;
  answer: PoolAnswer;
}

/**
 * A devnet farmer that breaks the pool protocol on request, each time the way a real broken or dishonest
 * farmer would: with real plots, real proofs and real keys, wrong in exactly one respect. The pool must
 * refuse each with the right error code and record nothing.
 *
 * The chain must run on a ManualClock (tests and step-by-step simulations): the farmer walks signage points
 * to find its partials and moves the clock to be late.
 */
export class MisbehavingFarmer extends SimulatedFarmer {
  /** Keys that are not this farmer's: what a farmer that lost its keys, or an impostor, signs with. */
  private readonly impostor: FarmerSigner;

  constructor(options: SimulatedFarmerOptions) {
    super(options);
    const impostorSeed = createHash('sha256').update('impostor of ').update(options.seed).digest();
    this.impostor = new FarmerSigner(options.bls, farmerKeysFromSeed(options.bls, impostorSeed));
  }

  /** A valid partial sent `lateBySeconds` after the pool's time limit (the farmer sat on it). */
  async sendLatePartial(partialTimeLimitSeconds: number, lateBySeconds = 5): Promise<Misbehaviour> {
    const request = this.nextPartial();
    this.options.chain.advance((partialTimeLimitSeconds + lateBySeconds) * 1000);
    return { request, answer: await this.submit(request) };
  }

  /** A partial the pool already accepted, sent again unchanged. */
  async replayPartial(request: PostPartialRequest): Promise<Misbehaviour> {
    return { request, answer: await this.submit(request) };
  }

  /**
   * The same proof of space again, signed over a fresh payload (another harvester id and token): a farmer
   * trying to be paid twice for one proof without sending the identical request.
   */
  async replayProofRelabelled(request: PostPartialRequest): Promise<Misbehaviour> {
    const relabelled = this.signer.partial({ ...request.payload, authenticationToken: this.token(), harvesterId: randomBytes(32) });
    return { request: relabelled, answer: await this.submit(relabelled) };
  }

  /** A valid proof whose aggregate signature was made with keys that are not the plot's and the registered ones. */
  async sendWronglySignedPartial(): Promise<Misbehaviour> {
    const request = this.impostor.partial(this.nextPartial().payload);
    return { request, answer: await this.submit(request) };
  }

  /** A valid, signed partial whose payload was then changed (another harvester id): the signature no longer covers it. */
  async sendTamperedPartial(): Promise<Misbehaviour> {
    const signed = this.nextPartial();
    const request = { ...signed, payload: { ...signed.payload, harvesterId: randomBytes(32) } };
    return { request, answer: await this.submit(request) };
  }

  /**
   * A partial naming another pool contract puzzle hash than its plot NFT's (e.g. a plot made for another
   * farmer's plot NFT, or for another pool), correctly signed over that payload.
   */
  async sendWrongPuzzleHashPartial(poolContractPuzzleHash: string): Promise<Misbehaviour> {
    const payload = this.nextPartial().payload;
    const changed: PostPartialPayload = {
      ...payload,
      proofOfSpace: { ...payload.proofOfSpace, poolContractPuzzleHash: hexToBytes(poolContractPuzzleHash, 32) },
    };
    const request = this.signer.partial(changed);
    return { request, answer: await this.submit(request) };
  }

  /** A valid partial of this farmer's plot NFT, claimed for a launcher id the pool never registered. */
  async sendPartialForUnregisteredLauncher(launcherId: string = randomBytes(32).toString('hex')): Promise<Misbehaviour> {
    const payload = this.nextPartial().payload;
    const request = this.signer.partial({ ...payload, launcherId: hexToBytes(launcherId, 32) });
    return { request, answer: await this.submit(request) };
  }

  /**
   * Leaves the pool on chain: the plot NFT travels to the waiting room (LEAVING_POOL) in the next block. It
   * stays a member until its relative lock height has passed; `farmBlocks` moves the chain that far.
   */
  leavePool(farmBlocks = 0): void {
    const chain = this.options.chain;
    chain.addToMempool(new PlotNftSimulator(chain).leavePool(this.launcherId));
    chain.farmBlocks(1 + farmBlocks);
  }

  /** A partial sent after leaving the pool, as a farmer that keeps farming its old pool would. */
  async sendPartialAfterLeaving(): Promise<Misbehaviour> {
    const request = this.nextPartial();
    return { request, answer: await this.submit(request) };
  }
}
