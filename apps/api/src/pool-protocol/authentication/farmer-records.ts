import { Inject, Injectable } from '@nestjs/common';
import { PoolErrorCode } from '@pool/chia';
import { farmerDecider, farmerStream, type FarmerState, type RegisteredFarmer } from '@pool/domain';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { COMMAND_RUNNER } from '@pool/runtime';
import { PoolProtocolError } from '../pool-protocol.error';

/**
 * A farmer's state as its own stream holds it (through the runner's cache), and the protocol's refusal when the
 * route's edition does not know the farmer: every authenticated route starts here.
 */
@Injectable()
export class FarmerRecords {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: StreamCommandRunner) {}

  async state(launcherId: string): Promise<FarmerState> {
    return (await this.runner.load(farmerStream(launcherId), farmerDecider)).state;
  }

  /** A farmer the v1 routes serve (10 otherwise). */
  async known(launcherId: string): Promise<RegisteredFarmer> {
    const state = await this.state(launcherId);
    if (state.status !== 'registered') {
      throw new PoolProtocolError(PoolErrorCode.FARMER_NOT_KNOWN, `farmer ${launcherId} is not registered with this pool; POST /farmer first`);
    }
    return state;
  }

  /** A farmer registered through the v2 routes (10 otherwise, which makes a v2 farmer POST /v2/farmer). */
  async knownV2(launcherId: string): Promise<RegisteredFarmer> {
    const state = await this.state(launcherId);
    if (state.status !== 'registered') {
      throw new PoolProtocolError(PoolErrorCode.FARMER_NOT_KNOWN, `farmer ${launcherId} is not registered with this pool; POST /v2/farmer first`);
    }
    if (state.protocolVersion !== 2) {
      throw new PoolProtocolError(PoolErrorCode.FARMER_NOT_KNOWN, `farmer ${launcherId} is registered through protocol v1; use the v1 routes`);
    }
    return state;
  }
}
