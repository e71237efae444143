import { type DynamicModule, Module } from '@nestjs/common';
import { type PoolConfig } from '@pool/config';
import { NotificationTargets, type NotificationTargetsOptions } from '@pool/notifications';
import { type ReadModelDatabase } from '@pool/read-models';
import { POOL_CONFIG, READ_MODELS } from '@pool/runtime';
import { FarmerRecords } from '../pool-protocol/authentication/farmer-records';
import { LoginSessions } from '../pool-protocol/authentication/login-session';
import { FarmerAreaAuth } from './farmer-area.auth';
import { NotificationTargetsController } from './notification-targets/notification-targets.controller';
import { FarmerSessions } from './sessions/farmer-sessions';
import { FarmerSessionsController } from './sessions/farmer-sessions.controller';
import { OpenFarmerSessionHandler } from './sessions/open-farmer-session.handler';
import { FarmerSettingsController } from './settings/farmer-settings.controller';
import { UpdateFarmerSettingsHandler } from './settings/update-farmer-settings.handler';

/**
 * The private farmer area behind the login link (/api/farmer-area/*, the dashboard's /dashboard/account): sessions
 * (farmer_sessions), settings that are ledger events (display name, own minimum payout) and notification targets
 * (the notifier's notification_targets). Private data lives in tables of the read-model database, never in the
 * public ledger. `targets` overrides the targets' options (tests accept local webhook URLs).
 */
@Module({})
export class FarmerAreaModule {
  static with(targets: NotificationTargetsOptions = {}): DynamicModule {
    return {
      module: FarmerAreaModule,
      controllers: [FarmerSettingsController, FarmerSessionsController, NotificationTargetsController],
      providers: [
        { provide: LoginSessions, useFactory: (config: PoolConfig) => new LoginSessions(config.settings.jwtSecretHex), inject: [POOL_CONFIG] },
        { provide: FarmerSessions, useFactory: (db: ReadModelDatabase) => new FarmerSessions(db), inject: [READ_MODELS] },
        {
          provide: NotificationTargets,
          useFactory: (db: ReadModelDatabase, config: PoolConfig) => new NotificationTargets(db, { emailEnabled: config.notifications?.smtp !== undefined, ...targets }),
          inject: [READ_MODELS, POOL_CONFIG],
        },
        FarmerRecords,
        FarmerAreaAuth,
        OpenFarmerSessionHandler,
        UpdateFarmerSettingsHandler,
      ],
    };
  }
}
