import { type Logger } from '@nestjs/common';
import { DEFAULT_NOTIFICATION_SETTINGS, type PoolConfig } from '@pool/config';
import { type EventStore } from '@pool/event-sourcing';
import { NotificationTargets, notificationTargetsOptions, Notifier, Transports } from '@pool/notifications';
import { type ReadModelDatabase } from '@pool/read-models';
import { runEvery, type Clock } from '@pool/runtime';

export interface WorkerNotifier {
  notifier: Notifier;
  transports: Transports;
}

/** The notifier of this worker, as the config says (undefined: notifications switched off). */
export function createNotifier(options: { store: EventStore; readModels: ReadModelDatabase; config: PoolConfig; now: Clock; logger: Pick<Logger, 'log' | 'warn'> }): WorkerNotifier | undefined {
  const settings = options.config.notifications ?? DEFAULT_NOTIFICATION_SETTINGS;
  if (!settings.enabled) return undefined;
  const transports = new Transports({
    ...(settings.smtp === undefined ? {} : { smtp: settings.smtp }),
    telegramApiUrl: settings.telegramApiUrl,
    allowLocalUrls: notificationTargetsOptions(options.config).allowLocalUrls === true,
    now: options.now,
  });
  const notifier = new Notifier({
    store: options.store,
    db: options.readModels,
    targets: new NotificationTargets(options.readModels, notificationTargetsOptions(options.config)),
    transports,
    settings,
    poolName: options.config.settings.name,
    now: options.now,
    log: (line) => options.logger.warn(line),
  });
  return { notifier, transports };
}

/** One round every `intervalMs` while this worker holds the pool-loops lease: read the ledger, queue, deliver. */
export async function runNotifierLoop(notifier: Notifier, intervalMs: number, logger: Pick<Logger, 'log' | 'warn'>, signal: AbortSignal): Promise<void> {
  await runEvery(
    intervalMs,
    signal,
    async () => {
      const round = await notifier.round();
      if (round.sent + round.failed > 0) logger.log(`notifications: ${round.sent} sent, ${round.failed} failed (${round.queued} queued this round)`);
    },
    (error) => logger.warn(`notifier: ${(error as Error).message}`),
  );
}
