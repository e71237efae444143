import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings, type SmtpSettings } from './config-types';
import type { PoolConfigOverrides } from './config-file';

/**
 * The notifier's settings: defaults, then the file's `notifications:` section, then the environment for the SMTP
 * server (POOL_SMTP_HOST, _PORT, _SECURE, _USER, _PASS, _FROM: the password belongs in the environment, not in a
 * file). SMTP is all or nothing: a host without a sender (or the reverse) is refused, not half used.
 */
export function readNotificationSettings(
  fromFile: PoolConfigOverrides['notifications'],
  env: NodeJS.ProcessEnv,
  envInteger: (name: string, min: number, max: number) => number | undefined,
  problems: string[],
): NotificationSettings {
  const { smtp: fileSmtp, ...rest } = fromFile ?? {};
  const settings: NotificationSettings = { ...DEFAULT_NOTIFICATION_SETTINGS, ...rest };
  const offline = envInteger('POOL_NOTIFICATIONS_OFFLINE_AFTER_SECONDS', 60, 30 * 86_400);
  if (offline !== undefined) settings.offlineAfterSeconds = offline;
  if (settings.retryMaxSeconds < settings.retryBaseSeconds) problems.push('notifications.retry_max_seconds: must not be below notifications.retry_base_seconds');

  const secureVar = env.POOL_SMTP_SECURE;
  if (secureVar && secureVar !== 'true' && secureVar !== 'false') problems.push(`POOL_SMTP_SECURE: must be true or false, got ${JSON.stringify(secureVar)}`);
  const fromEnv: Partial<SmtpSettings> = Object.fromEntries(
    Object.entries({
      host: env.POOL_SMTP_HOST || undefined,
      port: envInteger('POOL_SMTP_PORT', 1, 65_535),
      secure: secureVar === 'true' ? true : secureVar === 'false' ? false : undefined,
      user: env.POOL_SMTP_USER || undefined,
      pass: env.POOL_SMTP_PASS || undefined,
      from: env.POOL_SMTP_FROM || undefined,
    }).filter(([, value]) => value !== undefined),
  );
  const merged: Partial<SmtpSettings> = { ...fileSmtp, ...fromEnv };
  // Port and secure alone (the example file's defaults) configure nothing: the server is named by its host.
  if (merged.host === undefined && merged.from === undefined && merged.user === undefined && merged.pass === undefined) return settings;
  if (merged.host === undefined || merged.from === undefined) {
    problems.push('notifications.smtp: set both host and from (or POOL_SMTP_HOST and POOL_SMTP_FROM), or no SMTP setting at all (no e-mail notifications)');
    return settings;
  }
  if ((merged.user === undefined) !== (merged.pass === undefined)) problems.push('notifications.smtp.user, notifications.smtp.pass: set both (or POOL_SMTP_USER and POOL_SMTP_PASS) or neither');
  const secure = merged.secure ?? merged.port === 465;
  settings.smtp = { host: merged.host, port: merged.port ?? (secure ? 465 : 587), secure, from: merged.from, ...(merged.user === undefined ? {} : { user: merged.user }), ...(merged.pass === undefined ? {} : { pass: merged.pass }) };
  return settings;
}
