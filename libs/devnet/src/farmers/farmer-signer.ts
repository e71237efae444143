import {
  AuthenticationPayloadSchema,
  authV2SkFromOwnerSk,
  buildV2AuthMessage,
  chiaKeyGen,
  localSk,
  poolingAuthenticationSk,
  PostFarmerPayloadSchema,
  PostPartialPayloadSchema,
  PutFarmerPayloadSchema,
  singletonOwnerSk,
  type BlsBackend,
  type PostFarmerPayload,
  type PostFarmerRequest,
  type PostPartialPayload,
  type PostPartialRequest,
  type PutFarmerPayload,
  type PutFarmerRequest,
  type StreamableSchema,
} from '@pool/chia';

/** The secret keys a pooling farmer signs with. */
export interface FarmerSecretKeys {
  /** PoolState.owner_pubkey's key: signs POST/PUT /farmer (v1) and, derived, the v2 requests. */
  ownerSk: Uint8Array;
  /** Registered with the pool: signs GET /farmer, GET /login and (with the plot key) partials. */
  authSk: Uint8Array;
  /**
   * The plot key. A real farmer's plot key is local + farmer (+ taproot) keys aggregated across harvester
   * and farmer; the pool only ever sees and verifies the resulting public key, so the devnet uses one key.
   */
  plotSk: Uint8Array;
}

/** Keys derived the Chia way from a seed: owner m/12381/8444/5/i, authentication m/12381/8444/6/(i*10000), plot = local key. */
export function farmerKeysFromSeed(bls: BlsBackend, seed: Uint8Array, poolWalletIndex = 0): FarmerSecretKeys {
  const master = chiaKeyGen(seed);
  return {
    ownerSk: singletonOwnerSk(bls, master, poolWalletIndex),
    authSk: poolingAuthenticationSk(bls, master, poolWalletIndex, 0),
    plotSk: localSk(bls, master),
  };
}

/** Signs pool protocol requests exactly as a Chia farmer does (AugSchemeMPL over the payload's streamable hash). */
export class FarmerSigner {
  readonly ownerPk: Uint8Array;
  readonly authPk: Uint8Array;
  readonly plotPk: Uint8Array;
  /** v2 protocol signing key: the owner key's unhardened child 12381. */
  private readonly authV2Sk: Uint8Array;

  constructor(
    private readonly bls: BlsBackend,
    private readonly keys: FarmerSecretKeys,
  ) {
    this.ownerPk = bls.skToPk(keys.ownerSk);
    this.authPk = bls.skToPk(keys.authSk);
    this.plotPk = bls.skToPk(keys.plotSk);
    this.authV2Sk = authV2SkFromOwnerSk(bls, keys.ownerSk);
  }

  /** POST /partial: one message signed by the plot key and the authentication key, aggregated. */
  partial(payload: PostPartialPayload, authenticationTokenV2 = '', schema: StreamableSchema<PostPartialPayload> = PostPartialPayloadSchema): PostPartialRequest {
    const message = schema.hash(payload);
    const aggregateSignature = this.bls.aggregate([this.bls.sign(this.keys.plotSk, message), this.bls.sign(this.keys.authSk, message)]);
    return { payload, authenticationTokenV2, aggregateSignature };
  }

  /** POST /v2/partial: like v1, but the second key is the plot NFT's owner (synthetic) key, underived. */
  partialV2(payload: PostPartialPayload, jwt: string): PostPartialRequest {
    const message = PostPartialPayloadSchema.hash(payload);
    const aggregateSignature = this.bls.aggregate([this.bls.sign(this.keys.plotSk, message), this.bls.sign(this.keys.ownerSk, message)]);
    return { payload, authenticationTokenV2: jwt, aggregateSignature };
  }

  postFarmer(payload: PostFarmerPayload): PostFarmerRequest {
    return { payload, signature: this.bls.sign(this.keys.ownerSk, PostFarmerPayloadSchema.hash(payload)) };
  }

  /** POST /v2/farmer: the payload hash signed with the derived v2 key. */
  postFarmerV2(payload: PostFarmerPayload): PostFarmerRequest {
    return { payload, signature: this.bls.sign(this.authV2Sk, PostFarmerPayloadSchema.hash(payload)) };
  }

  putFarmer(payload: PutFarmerPayload): PutFarmerRequest {
    return { payload, signature: this.bls.sign(this.keys.ownerSk, PutFarmerPayloadSchema.hash(payload)) };
  }

  /** GET /farmer and GET /login: `method` is "get_farmer" or "get_login"; the target is the pool's own puzzle hash. */
  authentication(method: 'get_farmer' | 'get_login', launcherId: Uint8Array, poolTargetPuzzleHash: Uint8Array, token: bigint): Uint8Array {
    const message = AuthenticationPayloadSchema.hash({
      methodName: method,
      launcherId,
      targetPuzzleHash: poolTargetPuzzleHash,
      authenticationToken: token,
    });
    return this.bls.sign(this.keys.authSk, message);
  }

  /** GET /v2/auth: the raw 72-byte message (not hashed) signed with the derived v2 key. */
  v2Auth(timestamp: bigint, launcherId: Uint8Array, poolClaimHash: Uint8Array): Uint8Array {
    return this.bls.sign(this.authV2Sk, buildV2AuthMessage(timestamp, launcherId, poolClaimHash));
  }
}
