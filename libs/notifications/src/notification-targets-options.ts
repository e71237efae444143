import { type PoolConfig } from '@pool/config';
import { type NotificationTargetsOptions } from './notification-targets';

/**
 * What the api (farmer area) and the worker (notifier) both build NotificationTargets with: e-mail only with an SMTP
 * server configured, and local receivers only in tests (POOL_NOTIFICATIONS_ALLOW_LOCAL_URLS=true, never in a
 * deployment, where a farmer's URL must reach a public https host).
 */
export function notificationTargetsOptions(config: Pick<PoolConfig, 'notifications'>, env: NodeJS.ProcessEnv = process.env): NotificationTargetsOptions {
  return { emailEnabled: config.notifications?.smtp !== undefined, allowLocalUrls: env.POOL_NOTIFICATIONS_ALLOW_LOCAL_URLS === 'true' };
}
