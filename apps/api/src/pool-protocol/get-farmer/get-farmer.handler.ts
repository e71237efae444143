import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type RegisteredFarmer } from '@pool/domain';
import { V1Authentication } from '../authentication/v1-authentication';
import { V2Authentication } from '../authentication/v2-authentication';
import { FarmerActivityCache } from '../farmer-activity/farmer-activity.cache';
import { GetFarmerQuery, type FarmerCredentials, type FarmerView, type FarmerViews } from './get-farmer.query';

const RECENT_PARTIALS = 20;

/**
 * Points and recent partials come from the ledger itself (FarmerActivityCache), not a read model: what the next
 * payout will count, as of every event committed before the request.
 */
@QueryHandler(GetFarmerQuery)
export class GetFarmerHandler implements IQueryHandler<GetFarmerQuery<FarmerView>> {
  constructor(
    private readonly v1: V1Authentication,
    private readonly v2: V2Authentication,
    private readonly activity: FarmerActivityCache,
  ) {}

  async execute({ credentials, view }: GetFarmerQuery<FarmerView>): Promise<FarmerViews[FarmerView]> {
    const farmer = await this.authenticate(credentials);
    if (view === 'session') return { launcherId: farmer.launcherId };
    await this.activity.fresh();
    const points = this.activity.currentPoints(farmer.launcherId);
    if (view === 'farmer') {
      return {
        authentication_public_key: `0x${farmer.authenticationPublicKey}`,
        payout_instructions: farmer.payoutInstructions,
        current_difficulty: farmer.difficulty,
        current_points: points,
      };
    }
    return {
      farmer_record: {
        launcher_id: `0x${farmer.launcherId}`,
        p2_singleton_puzzle_hash: `0x${farmer.p2SingletonPuzzleHash}`,
        authentication_public_key: `0x${farmer.authenticationPublicKey}`,
        owner_public_key: `0x${farmer.ownerPublicKey}`,
        payout_instructions: farmer.payoutInstructions,
        difficulty: farmer.difficulty,
        points,
        is_pool_member: farmer.isMember,
      },
      recent_partials: this.activity
        .recent(farmer.launcherId)
        .slice(0, RECENT_PARTIALS)
        .map((p): [number, bigint] => [p.timestamp, p.difficulty]),
    };
  }

  /**
   * v1 and v2 login links: token window (12), farmer (10), signature (7); v2 JWT: JWT (12), then a farmer registered
   * through v2 (10).
   */
  private authenticate(credentials: FarmerCredentials): Promise<RegisteredFarmer> {
    if ('jwt' in credentials) return this.v2.requireFarmer(credentials.jwt, credentials.launcherId);
    return credentials.edition === 1
      ? this.v1.authenticate(credentials.method, credentials.launcherId, credentials.token, credentials.signature)
      : this.v2.authenticateLogin(credentials.launcherId, credentials.token, credentials.signature);
  }
}
