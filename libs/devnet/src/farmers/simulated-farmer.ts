import { createHash } from 'node:crypto';
import {
  bytesToHex,
  getCurrentAuthenticationToken,
  hexToBytes,
  parseChiaJson,
  plotFilterBitsForHeight,
  PostFarmerRequestSchema,
  PostPartialRequestLegacySchema,
  PutFarmerRequestSchema,
  requiredIterations,
  stringifyChiaJson,
  type BlsBackend,
  type PosConsensusConstants,
  type PostPartialPayload,
  type PostPartialRequest,
  type PutFarmerPayload,
} from '@pool/chia';
import { type DevnetChain, type LaunchedPlotNft, PlotNftSimulator, type TimelineEntry } from '../chain';
import { devnetPlot, proofsForSignagePoint, type PlotCache, type PlottedPlot } from '../plots';
import { FarmerSigner, farmerKeysFromSeed } from './farmer-signer';
import { DEVNET_PARTIAL_HEADERS, PoolHttpClient } from './pool-http-client';

export interface SimulatedFarmerOptions {
  bls: BlsBackend;
  /** Seed of the farmer's keys: the same seed gives the same keys, plot NFT owner and plot ids. */
  seed: Uint8Array;
  chain: DevnetChain;
  constants: PosConsensusConstants;
  plots: PlotCache;
  plotK?: number;
  /** The pool's base URL, e.g. http://127.0.0.1:8080 or https://localhost:8080. */
  poolUrl: string;
  /** PEM certificates trusted for an https pool URL besides the public roots (the devnet's own certificate). */
  poolCa?: string;
  /** Unix seconds, on the devnet's clock. */
  now(): number;
}

export interface PoolAnswer {
  [key: string]: unknown;
}

/** The pool information a farmer reads before joining (GET /pool_info). */
interface PoolInfo {
  target_puzzle_hash: string;
  relative_lock_height: number;
  authentication_token_timeout: number;
}

/**
 * A farmer of the devnet that does what Chia's farmer does against a pool: reads /pool_info, launches a
 * plot NFT farming to it, registers, and for every signage point its plot answers sends the partials
 * that meet its difficulty, signed by its plot and authentication keys.
 */
export class SimulatedFarmer {
  readonly signer: FarmerSigner;
  private plotNft?: LaunchedPlotNft;
  private plot?: PlottedPlot;
  private poolInfo?: PoolInfo;
  /** What the pool last told this farmer. */
  difficulty = 1n;
  /**
   * Where this farmer's own money goes (block rewards, payouts, delayed claims): a puzzle hash derived from
   * its owner key. The devnet never needs to spend from it.
   */
  readonly walletPuzzleHash: string;
  /** How requests reach the pool (http, or https trusting `poolCa`). */
  protected http: PoolHttpClient;

  constructor(protected readonly options: SimulatedFarmerOptions) {
    this.http = new PoolHttpClient(options.poolUrl, options.poolCa);
    this.signer = new FarmerSigner(options.bls, farmerKeysFromSeed(options.bls, options.seed));
    this.walletPuzzleHash = createHash('sha256').update(this.signer.ownerPk).digest('hex');
  }

  get launcherId(): string {
    if (!this.plotNft) throw new Error('the farmer has not launched its plot NFT yet');
    return this.plotNft.launcherId;
  }

  get p2SingletonPuzzleHash(): string {
    if (!this.plotNft) throw new Error('the farmer has not launched its plot NFT yet');
    return this.plotNft.p2SingletonPuzzleHash;
  }

  /** GET /pool_info, then a plot NFT farming to that pool, then a plot for it (from the cache when plotted before). */
  async joinPool(delayTime = 604_800): Promise<void> {
    this.poolInfo = (await this.get('/pool_info')) as unknown as PoolInfo;
    const nfts = new PlotNftSimulator(this.options.chain);
    this.plotNft = nfts.launchPlotNft({
      ownerPk: bytesToHex(this.signer.ownerPk),
      poolUrl: this.options.poolUrl,
      targetPuzzleHash: this.poolInfo.target_puzzle_hash.replace(/^0x/, ''),
      relativeLockHeight: this.poolInfo.relative_lock_height,
      delayTime,
      delayPuzzleHash: this.walletPuzzleHash,
      state: 'FARMING_TO_POOL',
    });
    const plot = devnetPlot(this.options.plotK ?? 18, hexToBytes(this.plotNft.p2SingletonPuzzleHash, 32), this.signer.plotPk);
    this.plot = await this.options.plots.getOrCreate(plot.k, plot.plotId);
  }

  protected token(): bigint {
    return getCurrentAuthenticationToken(this.poolInfo?.authentication_token_timeout ?? 5, Math.floor(this.options.now()));
  }

  /** POST /farmer with the payout instructions given (default: the owner's own puzzle hash). */
  async register(payoutInstructions: string = this.walletPuzzleHash, suggestedDifficulty: bigint | null = null): Promise<PoolAnswer> {
    const request = this.signer.postFarmer({
      launcherId: hexToBytes(this.launcherId, 32),
      authenticationToken: this.token(),
      authenticationPublicKey: this.signer.authPk,
      payoutInstructions,
      suggestedDifficulty,
    });
    return this.post('/farmer', PostFarmerRequestSchema.toJson(request), 'POST');
  }

  /** What Chia's farmer does on start: GET /farmer, and POST /farmer when the pool does not know it (code 10). */
  async connect(): Promise<PoolAnswer> {
    const known = await this.getFarmer();
    if (known.error_code !== 10) return known;
    const registered = await this.register();
    return registered.error_code === undefined ? this.getFarmer() : registered;
  }

  /**
   * Wins a block when the plot's proof at this signage point beats the network's difficulty, as a
   * farmer's full node would farm it: 1/8 to the farmer, 7/8 to the plot NFT's pool contract puzzle hash.
   */
  tryToWinBlock(entry: TimelineEntry, height: number): boolean {
    if (!this.plot || !this.plotNft) return false;
    const { chain, constants } = this.options;
    const spHash = hexToBytes(entry.hash, 32);
    const answer = proofsForSignagePoint(this.plot, hexToBytes(entry.challenge, 32), spHash, plotFilterBitsForHeight(height, constants));
    const network = chain.network;
    const limit = network.subSlotIters / BigInt(network.numSpsSubSlot);
    const winner = answer.proofs.find(
      (p) => requiredIterations(p.quality, spHash, this.plot!.k, network.difficulty, network.difficultyConstantFactor) < limit,
    );
    if (!winner) return false;
    chain.submitBlock({
      signagePointHash: entry.hash,
      farmerPuzzleHash: this.walletPuzzleHash,
      poolPuzzleHash: this.plotNft.p2SingletonPuzzleHash,
      quality: { qualityString: bytesToHex(winner.quality), plotSize: this.plot.k },
    });
    return true;
  }

  /** GET /farmer, signed with the authentication key; remembers the difficulty. */
  async getFarmer(): Promise<PoolAnswer> {
    const token = this.token();
    const signature = this.signer.authentication('get_farmer', hexToBytes(this.launcherId, 32), hexToBytes(this.poolInfo!.target_puzzle_hash, 32), token);
    const answer = await this.get(`/farmer?launcher_id=${this.launcherId}&authentication_token=${token}&signature=${bytesToHex(signature)}`);
    if (typeof answer.current_difficulty === 'number' || typeof answer.current_difficulty === 'bigint') this.difficulty = BigInt(answer.current_difficulty);
    return answer;
  }

  /**
   * The partials this farmer's plot has for a signage point: proofs passing the plot filter at `height`
   * whose required iterations meet the farmer's difficulty (what Chia's farmer sends).
   */
  partialsFor(entry: TimelineEntry, height: number): PostPartialRequest[] {
    if (!this.plot || !this.plotNft) throw new Error('the farmer has no plot yet');
    const { constants } = this.options;
    const challenge = hexToBytes(entry.challenge, 32);
    const spHash = hexToBytes(entry.hash, 32);
    const filterBits = plotFilterBitsForHeight(height, constants);
    const answer = proofsForSignagePoint(this.plot, challenge, spHash, filterBits);
    const limit = constants.poolSubSlotIters / BigInt(constants.numSpsSubSlot);
    return answer.proofs
      .filter((p) => requiredIterations(p.quality, spHash, this.plot!.k, this.difficulty, constants.difficultyConstantFactor) < limit)
      .map((p) => this.signer.partial(this.payload(entry, spHash, p.proof, answer.posChallenge)));
  }

  private payload(entry: TimelineEntry, spHash: Uint8Array, proof: Uint8Array, posChallenge: Uint8Array): PostPartialPayload {
    return {
      launcherId: hexToBytes(this.launcherId, 32),
      authenticationToken: this.token(),
      proofOfSpace: {
        challenge: posChallenge,
        poolPublicKey: null,
        poolContractPuzzleHash: hexToBytes(this.plotNft!.p2SingletonPuzzleHash, 32),
        plotPublicKey: this.signer.plotPk,
        version: 0,
        plotIndex: 0,
        metaGroup: 0,
        strength: 0,
        size: this.plot!.k,
        proof,
      },
      spHash,
      endOfSubSlot: entry.index === 0,
      harvesterId: this.signer.plotPk.subarray(0, 32),
    };
  }

  /**
   * POST /partial (the chia 2.4.4 body shape); honours `new_difficulty`, and on PROOF_NOT_GOOD_ENOUGH asks
   * GET /farmer for its difficulty, as Chia's farmer does.
   */
  async submit(request: PostPartialRequest): Promise<PoolAnswer> {
    const answer = await this.post('/partial', PostPartialRequestLegacySchema.toJson(request), 'POST', DEVNET_PARTIAL_HEADERS);
    if (typeof answer.new_difficulty === 'number' || typeof answer.new_difficulty === 'bigint') this.difficulty = BigInt(answer.new_difficulty);
    if (answer.error_code === 5) await this.getFarmer();
    return answer;
  }

  /**
   * Walks the devnet (a ManualClock chain) signage point by signage point until the plot has a partial at
   * the farmer's current difficulty, and returns it unsent.
   */
  nextPartial(maxSignagePoints = 5000): PostPartialRequest {
    const chain = this.options.chain;
    for (let sp = 0; sp < maxSignagePoints; sp++) {
      chain.advanceSignagePoints(1);
      const [partial] = this.partialsFor(chain.latestSignagePoint(), chain.peakHeight() + 1);
      if (partial) return partial;
    }
    throw new Error(`no partial at difficulty ${this.difficulty} in ${maxSignagePoints} signage points`);
  }

  /**
   * PUT /farmer signed with the owner key (the chia-main 6-field payload): new payout instructions and/or a
   * suggested difficulty. Afterwards it reads GET /farmer, so it farms at whatever difficulty the pool now says.
   */
  async updateFarmer(changes: { payoutInstructions?: string; suggestedDifficulty?: bigint; authenticationPublicKey?: Uint8Array }): Promise<PoolAnswer> {
    const request = this.signer.putFarmer(this.putFarmerPayload(changes));
    const answer = await this.post('/farmer', PutFarmerRequestSchema.toJson(request), 'PUT');
    if (answer.error_code === undefined) await this.getFarmer();
    return answer;
  }

  protected putFarmerPayload(changes: { payoutInstructions?: string; suggestedDifficulty?: bigint; authenticationPublicKey?: Uint8Array }): PutFarmerPayload {
    return {
      launcherId: hexToBytes(this.launcherId, 32),
      authenticationToken: this.token(),
      authenticationPublicKey: changes.authenticationPublicKey ?? null,
      payoutInstructions: changes.payoutInstructions ?? null,
      suggestedDifficulty: changes.suggestedDifficulty ?? null,
      authenticationTokenV2: '',
    };
  }

  /** The login link Chia's `plotnft get_login_link` prints: GET /login signed with the authentication key. */
  loginPath(): string {
    const token = this.token();
    const signature = this.signer.authentication('get_login', hexToBytes(this.launcherId, 32), hexToBytes(this.poolInfo!.target_puzzle_hash, 32), token);
    return `/login?launcher_id=${this.launcherId}&authentication_token=${token}&signature=${bytesToHex(signature)}`;
  }

  /** The pool's answer to GET /login as an API client (Accept: application/json). */
  async login(): Promise<PoolAnswer> {
    const response = await this.http.request(this.loginPath(), { headers: { accept: 'application/json' } });
    return parseChiaJson(response.text) as PoolAnswer;
  }

  async get(path: string): Promise<PoolAnswer> {
    const response = await this.http.request(path);
    return parseChiaJson(response.text) as PoolAnswer;
  }

  async post(path: string, body: unknown, method: 'POST' | 'PUT', headers: Readonly<Record<string, string>> = {}): Promise<PoolAnswer> {
    const response = await this.http.request(path, {
      method,
      headers: { ...headers, 'content-type': 'application/json' },
      body: stringifyChiaJson(body),
    });
    return parseChiaJson(response.text) as PoolAnswer;
  }

  /**
   * Sends what follows to the pool api at `poolUrl` (a bench runs the same farmers against one api after another;
   * the plot NFT keeps the pool URL it was launched with).
   */
  pointAt(poolUrl: string): void {
    this.http.close();
    this.http = new PoolHttpClient(poolUrl, this.options.poolCa);
  }

  /** Closes the connections kept open to the pool. */
  close(): void {
    this.http.close();
  }
}
