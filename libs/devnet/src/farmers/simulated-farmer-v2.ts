import { createHash } from 'node:crypto';
import {
  AuthenticationPayloadSchema,
  authV2SkFromOwnerSk,
  bytesToHex,
  chiaKeyGen,
  CURVE_ORDER,
  getCurrentAuthenticationToken,
  hexToBytes,
  localSk,
  parseChiaJson,
  plotFilterBitsForHeight,
  PostFarmerRequestSchema,
  PostPartialRequestSchema,
  PutFarmerRequestSchema,
  requiredIterations,
  rewardPuzzleHash,
  stringifyChiaJson,
  walletSkUnhardened,
  type BlsBackend,
  type PlotNftV2Identity,
  type PlotNftV2Pool,
  type PostPartialPayload,
  type PostPartialRequest,
} from '@pool/chia';
import { type LaunchedPlotNftV2, PlotNftV2Simulator, type PlotNftV2View, type TimelineEntry } from '../chain';
import { devnetPlot, proofsForSignagePoint, type PlottedPlot } from '../plots';
import { FarmerSigner } from './farmer-signer';
import { DEVNET_PARTIAL_HEADERS, PoolHttpClient } from './pool-http-client';
import { type PoolAnswer, type SimulatedFarmerOptions } from './simulated-farmer';

/** sha256tree of `(=)`, chia's DEFAULT_HIDDEN_PUZZLE_HASH (the hidden puzzle of standard-transaction keys). */
export const DEFAULT_HIDDEN_PUZZLE_HASH = '711d6c4e32c92e53179b199484cf8c897542bc57f2b22582799f9d657eec4699';

/**
 * chia `calculate_synthetic_offset(pk, hidden_puzzle_hash)`: sha256(pk48 || hidden_puzzle_hash) read as a SIGNED
 * big-endian integer, reduced mod r (Python's % is non-negative).
 */
export function syntheticOffset(publicKey: Uint8Array, hiddenPuzzleHash: string = DEFAULT_HIDDEN_PUZZLE_HASH): bigint {
  const digest = createHash('sha256').update(publicKey).update(hexToBytes(hiddenPuzzleHash, 32)).digest();
  let signed = BigInt(`0x${digest.toString('hex')}`);
  if (signed >= 1n << 255n) signed -= 1n << 256n;
  return ((signed % CURVE_ORDER) + CURVE_ORDER) % CURVE_ORDER;
}

/** chia `calculate_synthetic_secret_key(sk, hidden_puzzle_hash)` = (sk + offset(pk)) mod r. */
export function syntheticSecretKey(bls: BlsBackend, sk: Uint8Array, hiddenPuzzleHash: string = DEFAULT_HIDDEN_PUZZLE_HASH): Uint8Array {
  const offset = syntheticOffset(bls.skToPk(sk), hiddenPuzzleHash);
  const scalar = (BigInt(`0x${Buffer.from(sk).toString('hex')}`) + offset) % CURVE_ORDER;
  return hexToBytes(scalar.toString(16).padStart(64, '0'), 32);
}

interface PoolInfoV2 {
  target_puzzle_hash: string;
  relative_lock_height: number;
  authentication_token_timeout: number;
  pool_memoization?: string;
}

/**
 * A farmer speaking pool protocol v2 as chia-blockchain main does: its authentication key is the plot NFT owner's
 * synthetic key (wallet key m/12381/8444/2/0 unhardened, tweaked with the default hidden puzzle), protocol
 * requests are signed with that key's unhardened child 12381, and GET/PUT /v2/farmer and partials carry a JWT
 * from GET /v2/auth, cached until it expires and fetched again when the pool answers 12.
 */
export class SimulatedFarmerV2 {
  readonly signer: FarmerSigner;
  readonly authenticationPublicKey: Uint8Array;
  readonly walletPuzzleHash: string;
  private readonly syntheticSk: Uint8Array;
  private readonly nfts: PlotNftV2Simulator;
  private plotNft?: LaunchedPlotNftV2;
  private plot?: PlottedPlot;
  private poolInfo?: PoolInfoV2;
  private jwt?: { token: string; expiration: number };
  difficulty = 1n;
  /** How many times GET /v2/auth was called (to show the JWT is cached and refreshed). */
  authentications = 0;

  /** How requests reach the pool (http, or https trusting `poolCa`). */
  private readonly http: PoolHttpClient;

  constructor(private readonly options: SimulatedFarmerOptions) {
    this.http = new PoolHttpClient(options.poolUrl, options.poolCa);
    const master = chiaKeyGen(options.seed);
    this.syntheticSk = syntheticSecretKey(options.bls, walletSkUnhardened(options.bls, master, 0));
    this.signer = new FarmerSigner(options.bls, { ownerSk: this.syntheticSk, authSk: this.syntheticSk, plotSk: localSk(options.bls, master) });
    this.authenticationPublicKey = this.signer.ownerPk;
    this.walletPuzzleHash = createHash('sha256').update(this.authenticationPublicKey).digest('hex');
    this.nfts = new PlotNftV2Simulator(options.chain, { bls: options.bls, ownerSecretKeys: [this.syntheticSk] });
  }

  get launcherId(): string {
    if (!this.plotNft) throw new Error('the farmer has not launched its plot NFT yet');
    return this.plotNft.launcherId;
  }

  /** Launcher id and the chain's genesis challenge: with the key and `pool`, what the pool's puzzle hashes are built from. */
  get plotNftIdentity(): PlotNftV2Identity {
    return this.nfts.identity(this.launcherId);
  }

  /** The plot NFT as the chain shows it now (state read from its spends, current coin, lineage proof). */
  plotNftView(): PlotNftV2View {
    return this.nfts.view(this.launcherId);
  }

  /** The plots' pool_contract_puzzle_hash: RewardPuzzle(launcher_id). */
  get rewardPuzzleHash(): string {
    return rewardPuzzleHash(this.launcherId);
  }

  /** The pool as its GET /v2/pool_info describes it, in the form a v2 plot NFT commits to. */
  get pool(): PlotNftV2Pool {
    if (!this.poolInfo) throw new Error('GET /v2/pool_info first (joinPool)');
    return {
      poolClaimHash: this.poolInfo.target_puzzle_hash.replace(/^0x/, ''),
      relativeLockHeight: this.poolInfo.relative_lock_height,
      poolMemoization: (this.poolInfo.pool_memoization ?? '0x80').replace(/^0x/, ''),
    };
  }

  /** The simulator that moves this farmer's plot NFT, signing with its synthetic key (leave the pool, switch pools). */
  get plotNfts(): PlotNftV2Simulator {
    return this.nfts;
  }

  /**
   * GET /v2/pool_info, a v2 plot NFT launched straight into pooling to that pool (`chia plotnft create` with a pool
   * URL; its first coin appears in the next block), and a plot paying RewardPuzzle(launcher_id).
   */
  async joinPool(): Promise<void> {
    this.poolInfo = (await this.get('/v2/pool_info')) as unknown as PoolInfoV2;
    this.plotNft = this.nfts.launch({ ownerPublicKey: bytesToHex(this.authenticationPublicKey), pool: this.pool, hint: this.walletPuzzleHash });
    const plot = devnetPlot(this.options.plotK ?? 18, hexToBytes(this.plotNft.rewardPuzzleHash, 32), this.signer.plotPk);
    this.plot = await this.options.plots.getOrCreate(plot.k, plot.plotId);
  }

  /** POST /v2/farmer (authentication_token 0, as chia's farmer sends), signed with the derived key. */
  async register(payoutInstructions: string = this.walletPuzzleHash, suggestedDifficulty: bigint | null = null): Promise<PoolAnswer> {
    const request = this.signer.postFarmerV2({
      launcherId: hexToBytes(this.launcherId, 32),
      authenticationToken: 0n,
      authenticationPublicKey: this.authenticationPublicKey,
      payoutInstructions,
      suggestedDifficulty,
    });
    return this.post('/v2/farmer', PostFarmerRequestSchema.toJson(request), 'POST');
  }

  /** GET /v2/auth now; on success the JWT is cached until its expiration. Returns the pool's answer. */
  async authenticate(timestamp: bigint = BigInt(Math.floor(this.options.now()))): Promise<PoolAnswer> {
    this.authentications += 1;
    const launcherId = hexToBytes(this.launcherId, 32);
    const signature = this.signer.v2Auth(timestamp, launcherId, hexToBytes(this.pool.poolClaimHash, 32));
    const answer = await this.get(`/v2/auth?launcher_id=0x${this.launcherId}&timestamp=${timestamp}&signature=0x${bytesToHex(signature)}`);
    if (typeof answer.authentication_token === 'string') {
      this.jwt = { token: answer.authentication_token, expiration: Number(answer.expiration) };
    } else {
      this.jwt = undefined;
    }
    return answer;
  }

  /** The cached JWT (fetching one when there is none or it has expired), or the pool's refusal. */
  private async token(): Promise<string | PoolAnswer> {
    if (this.jwt === undefined || this.jwt.expiration <= this.options.now()) {
      const answer = await this.authenticate();
      if (this.jwt === undefined) return answer;
    }
    return this.jwt!.token;
  }

  /** Runs an authenticated call; on 12 the cached token is dropped and the call made once more with a new one. */
  private async withJwt(call: (jwt: string) => Promise<PoolAnswer>): Promise<PoolAnswer> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token();
      if (typeof token !== 'string') return token;
      const answer = await call(token);
      if (answer.error_code !== 12 || attempt === 1) return answer;
      this.jwt = undefined;
    }
  }

  /** Forgets the cached JWT or replaces it (to exercise the pool's refusals). */
  setJwt(token: string | undefined, expiration = Number.MAX_SAFE_INTEGER): void {
    this.jwt = token === undefined ? undefined : { token, expiration };
  }

  get cachedJwt(): string | undefined {
    return this.jwt?.token;
  }

  /** GET /v2/farmer; remembers the difficulty. */
  async getFarmer(): Promise<PoolAnswer> {
    const answer = await this.withJwt((jwt) =>
      this.get(`/v2/farmer?authentication_token=0&launcher_id=0x${this.launcherId}&authentication_token_v2=${encodeURIComponent(jwt)}`),
    );
    if (typeof answer.current_difficulty === 'number' || typeof answer.current_difficulty === 'bigint') this.difficulty = BigInt(answer.current_difficulty);
    return answer;
  }

  /** What chia's farmer does: GET /v2/farmer, and POST /v2/farmer when the pool does not know it (10). */
  async connect(): Promise<PoolAnswer> {
    const known = await this.getFarmer();
    if (known.error_code !== 10) return known;
    const registered = await this.register();
    return registered.error_code === undefined ? this.getFarmer() : registered;
  }

  /** PUT /v2/farmer with the fields given (null = unchanged); the JWT is in the payload, the signature is null. */
  async update(fields: { payoutInstructions?: string; suggestedDifficulty?: bigint; authenticationPublicKey?: Uint8Array }): Promise<PoolAnswer> {
    return this.withJwt((jwt) => {
      const request = {
        payload: {
          launcherId: hexToBytes(this.launcherId, 32),
          authenticationToken: 0n,
          authenticationPublicKey: fields.authenticationPublicKey ?? null,
          payoutInstructions: fields.payoutInstructions ?? null,
          suggestedDifficulty: fields.suggestedDifficulty ?? null,
          authenticationTokenV2: jwt,
        },
        signature: null,
      };
      return this.post('/v2/farmer', PutFarmerRequestSchema.toJson(request), 'PUT');
    });
  }

  /**
   * The login link chia-blockchain main prints for a v2 plot NFT (chia/farmer/farmer.py generate_login_link): the
   * v1 link's query (launcher id, the v1 time token, a signature over AuthenticationPayload "get_login" with the
   * pool's target puzzle hash) under /v2/login, signed with the derived v2 key.
   */
  loginPath(token: bigint = getCurrentAuthenticationToken(this.poolInfo?.authentication_token_timeout ?? 5, Math.floor(this.options.now()))): string {
    const message = AuthenticationPayloadSchema.hash({
      methodName: 'get_login',
      launcherId: hexToBytes(this.launcherId, 32),
      targetPuzzleHash: hexToBytes(this.pool.poolClaimHash, 32),
      authenticationToken: token,
    });
    const signature = this.options.bls.sign(authV2SkFromOwnerSk(this.options.bls, this.syntheticSk), message);
    return `/v2/login?launcher_id=${this.launcherId}&authentication_token=${token}&signature=${bytesToHex(signature)}`;
  }

  /** GET /v2/login as an API client (no Accept header, as Chia's callers send): the farmer record, or the refusal. */
  async login(): Promise<PoolAnswer> {
    return this.get(this.loginPath());
  }

  /** The partials the plot has for a signage point at the current difficulty (JWT filled in when submitted). */
  partialsFor(entry: TimelineEntry, height: number): PostPartialRequest[] {
    if (!this.plot || !this.plotNft) throw new Error('the farmer has no plot yet');
    const { constants } = this.options;
    const spHash = hexToBytes(entry.hash, 32);
    const answer = proofsForSignagePoint(this.plot, hexToBytes(entry.challenge, 32), spHash, plotFilterBitsForHeight(height, constants));
    const limit = constants.poolSubSlotIters / BigInt(constants.numSpsSubSlot);
    return answer.proofs
      .filter((p) => requiredIterations(p.quality, spHash, this.plot!.k, this.difficulty, constants.difficultyConstantFactor) < limit)
      .map((p) => this.signer.partialV2(this.payload(entry, spHash, p.proof, answer.posChallenge), ''));
  }

  private payload(entry: TimelineEntry, spHash: Uint8Array, proof: Uint8Array, posChallenge: Uint8Array): PostPartialPayload {
    return {
      launcherId: hexToBytes(this.launcherId, 32),
      authenticationToken: 0n,
      proofOfSpace: {
        challenge: posChallenge,
        poolPublicKey: null,
        poolContractPuzzleHash: hexToBytes(this.plotNft!.rewardPuzzleHash, 32),
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

  /** POST /v2/partial with the current JWT (the signature does not cover it); remembers `new_difficulty`. */
  async submit(request: PostPartialRequest): Promise<PoolAnswer> {
    const answer = await this.withJwt((jwt) => this.post('/v2/partial', PostPartialRequestSchema.toJson({ ...request, authenticationTokenV2: jwt }), 'POST', DEVNET_PARTIAL_HEADERS));
    if (typeof answer.new_difficulty === 'number' || typeof answer.new_difficulty === 'bigint') this.difficulty = BigInt(answer.new_difficulty);
    return answer;
  }

  /** Like SimulatedFarmer.tryToWinBlock; the pool's 7/8 goes to RewardPuzzle(launcher_id). */
  tryToWinBlock(entry: TimelineEntry, height: number): boolean {
    if (!this.plot || !this.plotNft) return false;
    const { chain, constants } = this.options;
    const spHash = hexToBytes(entry.hash, 32);
    const answer = proofsForSignagePoint(this.plot, hexToBytes(entry.challenge, 32), spHash, plotFilterBitsForHeight(height, constants));
    const network = chain.network;
    const limit = network.subSlotIters / BigInt(network.numSpsSubSlot);
    const winner = answer.proofs.find((p) => requiredIterations(p.quality, spHash, this.plot!.k, network.difficulty, network.difficultyConstantFactor) < limit);
    if (!winner) return false;
    chain.submitBlock({
      signagePointHash: entry.hash,
      farmerPuzzleHash: this.walletPuzzleHash,
      poolPuzzleHash: this.plotNft.rewardPuzzleHash,
      quality: { qualityString: bytesToHex(winner.quality), plotSize: this.plot.k },
    });
    return true;
  }

  async get(path: string): Promise<PoolAnswer> {
    const response = await this.http.request(path);
    return parseChiaJson(response.text) as PoolAnswer;
  }

  async post(path: string, body: unknown, method: 'POST' | 'PUT', headers: Readonly<Record<string, string>> = {}): Promise<PoolAnswer> {
    const response = await this.http.request(path, { method, headers: { ...headers, 'content-type': 'application/json' }, body: stringifyChiaJson(body) });
    return parseChiaJson(response.text) as PoolAnswer;
  }

  /** Closes the connections kept open to the pool. */
  close(): void {
    this.http.close();
  }
}
