import { Query } from '@nestjs/cqrs';

/**
 * v1: a signature over the route's method name and a time token; v2: the JWT from GET /v2/auth, or for GET
 * /v2/login the v1 login query signed with the v2 derived key.
 */
export type FarmerCredentials =
  | { edition: 1; method: 'get_farmer' | 'get_login'; launcherId: string; token: bigint; signature: Uint8Array }
  | { edition: 2; method: 'get_login'; launcherId: string; token: bigint; signature: Uint8Array }
  | { edition: 2; launcherId: Uint8Array; jwt: string };

/** GET /farmer and GET /v2/farmer (the same four fields in both editions). */
export interface GetFarmerResponse {
  authentication_public_key: string;
  payout_instructions: string;
  current_difficulty: bigint;
  current_points: bigint;
}

/** GET /login for an API client: the farmer record and its newest accepted partials, [timestamp, difficulty]. */
export interface LoginResponse {
  farmer_record: {
    launcher_id: string;
    p2_singleton_puzzle_hash: string;
    authentication_public_key: string;
    owner_public_key: string;
    payout_instructions: string;
    difficulty: bigint;
    points: bigint;
    is_pool_member: boolean;
  };
  recent_partials: [number, bigint][];
}

export interface FarmerViews {
  farmer: GetFarmerResponse;
  login: LoginResponse;
  /** GET /login or /v2/login from a browser: only who it is, for the session cookie. */
  session: { launcherId: string };
}

export type FarmerView = keyof FarmerViews;

/** An authenticated farmer's own record, in the shape its route answers. */
export class GetFarmerQuery<V extends FarmerView> extends Query<FarmerViews[V]> {
  constructor(
    readonly credentials: FarmerCredentials,
    readonly view: V,
  ) {
    super();
  }
}
