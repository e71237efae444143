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

  /**
   * The farmer's state; with `maxAgeMs`, as this process knew it whole at most that long ago, without reading the
   * store (the partial hot path: StreamCommandRunner.loadRecent).
   */
  async state(launcherId: string, maxAgeMs?: number): Promise<FarmerState> {
    const stream = farmerStream(launcherId);
    return (maxAgeMs === undefined ? await this.runner.load(stream, farmerDecider) : await this.runner.loadRecent(stream, farmerDecider, maxAgeMs)).state;
  }

  /** A farmer the v1 routes serve (10 otherwise). A recent state that refuses is looked at again before refusing. */
  async known(launcherId: string, maxAgeMs?: number): Promise<RegisteredFarmer> {
    const state = await this.state(launcherId, maxAgeMs);
    if (state.status === 'registered') return state;
    if (maxAgeMs !== undefined) return this.known(launcherId);
    throw new PoolProtocolError(PoolErrorCode.FARMER_NOT_KNOWN, `farmer ${launcherId} is not registered with this pool; POST /farmer first`);
  }

  /** A farmer registered through the v2 routes (10 otherwise, which makes a v2 farmer POST /v2/farmer). */
  async knownV2(launcherId: string, maxAgeMs?: number): Promise<RegisteredFarmer> {
    const state = await this.state(launcherId, maxAgeMs);
    if (state.status === 'registered' && state.protocolVersion === 2) return state;
    if (maxAgeMs !== undefined) return this.knownV2(launcherId);
    if (state.status !== 'registered') {
      throw new PoolProtocolError(PoolErrorCode.FARMER_NOT_KNOWN, `farmer ${launcherId} is not registered with this pool; POST /v2/farmer first`);
    }
    throw new PoolProtocolError(PoolErrorCode.FARMER_NOT_KNOWN, `farmer ${launcherId} is registered through protocol v1; use the v1 routes`);
  }
}
