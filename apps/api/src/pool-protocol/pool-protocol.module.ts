import { type DynamicModule, Module } from '@nestjs/common';
import { type EventStore } from '@pool/event-sourcing';
import { REFERENCE_DIFFICULTY_POLICY } from '@pool/domain';
import { EVENT_STORE } from '@pool/runtime';
import { FarmerRecords } from './authentication/farmer-records';
import { V1Authentication } from './authentication/v1-authentication';
import { V2AuthController } from './authentication/v2-auth.controller';
import { V2Authentication } from './authentication/v2-authentication';
import { FarmerActivityCache } from './farmer-activity/farmer-activity.cache';
import { GetFarmerController } from './get-farmer/get-farmer.controller';
import { GetFarmerHandler } from './get-farmer/get-farmer.handler';
import { PeakTracker } from './peak-tracker';
import { PoolInfoController } from './pool-info.controller';
import { RecordRefusedPartialsHandler } from './refused-partials/record-refused-partials.handler';
import { RefusedPartialsRecorder } from './refused-partials/refused-partials.recorder';
import { PlotNftMembership } from './register-farmer/plot-nft-membership';
import { RegisterFarmerController } from './register-farmer/register-farmer.controller';
import { RegisterFarmerHandler } from './register-farmer/register-farmer.handler';
import { V1Registration } from './register-farmer/v1-registration';
import { V2Registration } from './register-farmer/v2-registration';
import { ApplyDifficultyPolicyHandler } from './submit-partial/apply-difficulty-policy.handler';
import { type PartialCryptoVerifier } from './submit-partial/crypto/partial-crypto';
import { partialCryptoProviders } from './submit-partial/crypto/partial-crypto.provider';
import { DifficultyStep } from './submit-partial/difficulty.step';
import { SignagePointLookups } from './submit-partial/signage-point-lookups';
import { SubmitPartialController } from './submit-partial/submit-partial.controller';
import { DEFAULT_RECENT_FARMER_STATE_MS, RECENT_FARMER_STATE_MS, SubmitPartialHandler } from './submit-partial/submit-partial.handler';
import { UpdateFarmerController } from './update-farmer/update-farmer.controller';
import { UpdateFarmerHandler } from './update-farmer/update-farmer.handler';

/**
 * The Chia pool protocol, v1 and v2 (CHIP-59), one folder per use case. Controllers translate HTTP to a command or
 * query; each handler owns its stream, decider and idempotency key. Needs the api's ports (config, store, node,
 * BLS, clock, command runner) and the global CqrsModule.
 */
@Module({})
export class PoolProtocolModule {
  /**
   * `partialCrypto`: where partial signatures and proofs are verified (default: a worker-thread pool closed with the
   * app). `recentFarmerStateMs`: how old a farmer's state a partial is first judged by may be (SubmitPartialHandler).
   */
  static with(partialCrypto?: PartialCryptoVerifier, recentFarmerStateMs = DEFAULT_RECENT_FARMER_STATE_MS): DynamicModule {
    return {
      module: PoolProtocolModule,
      controllers: [PoolInfoController, V2AuthController, SubmitPartialController, RegisterFarmerController, UpdateFarmerController, GetFarmerController],
      providers: [
        ...partialCryptoProviders(partialCrypto),
        PeakTracker,
        FarmerRecords,
        V1Authentication,
        V2Authentication,
        PlotNftMembership,
        V1Registration,
        V2Registration,
        DifficultyStep,
        SignagePointLookups,
        // The difficulty policy looks at the farmer's last `partialsTarget` partials: that is the window to keep.
        {
          provide: FarmerActivityCache,
          useFactory: (store: EventStore) => new FarmerActivityCache(store, REFERENCE_DIFFICULTY_POLICY.partialsTarget),
          inject: [EVENT_STORE],
        },
        { provide: RECENT_FARMER_STATE_MS, useValue: recentFarmerStateMs },
        SubmitPartialHandler,
        RefusedPartialsRecorder,
        RecordRefusedPartialsHandler,
        ApplyDifficultyPolicyHandler,
        RegisterFarmerHandler,
        UpdateFarmerHandler,
        GetFarmerHandler,
      ],
      // The metrics read the node's peak through the same tracker.
      exports: [PeakTracker],
    };
  }
}
