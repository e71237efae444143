import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_NOTIFICATION_SETTINGS, loadPoolConfig } from '@pool/config';

describe('notifications config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'notification-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (text: string): string => {
    const path = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(path, text);
    return path;
  };

  it('defaults to notifications on, offline after an hour, and no e-mail', () => {
    expect(loadPoolConfig({}, undefined).notifications).toEqual(DEFAULT_NOTIFICATION_SETTINGS);
    expect(DEFAULT_NOTIFICATION_SETTINGS.smtp).toBeUndefined();
  });

  it('reads notifications.* and notifications.smtp from the file; POOL_SMTP_* override it', () => {
    const path = file('notifications: { offline_after_seconds: 900, pause_after_failures: 4, smtp: { host: mail.example.com, from: "Pool <pool@example.com>", user: pool, pass: filepass } }');
    expect(loadPoolConfig({}, path).notifications).toMatchObject({
      offlineAfterSeconds: 900,
      pauseAfterFailures: 4,
      smtp: { host: 'mail.example.com', port: 587, secure: false, from: 'Pool <pool@example.com>', user: 'pool', pass: 'filepass' },
    });
    const env = { POOL_SMTP_HOST: 'smtp.other.example', POOL_SMTP_PORT: '465', POOL_SMTP_SECURE: 'true', POOL_SMTP_PASS: 'envpass' };
    expect(loadPoolConfig(env, path).notifications?.smtp).toEqual({ host: 'smtp.other.example', port: 465, secure: true, from: 'Pool <pool@example.com>', user: 'pool', pass: 'envpass' });
    expect(loadPoolConfig({ POOL_SMTP_HOST: 'mail.example.com', POOL_SMTP_FROM: 'pool@example.com' }, undefined).notifications?.smtp).toEqual({ host: 'mail.example.com', port: 587, secure: false, from: 'pool@example.com' });
  });

  it('refuses half an SMTP setting and bad values, naming the key', () => {
    expect(() => loadPoolConfig({ POOL_SMTP_HOST: 'mail.example.com' }, undefined)).toThrow(/notifications\.smtp: set both host and from/);
    expect(() => loadPoolConfig({ POOL_SMTP_HOST: 'm.example.com', POOL_SMTP_FROM: 'p@example.com', POOL_SMTP_USER: 'u' }, undefined)).toThrow(/smtp\.user, notifications\.smtp\.pass: set both/);
    expect(() => loadPoolConfig({ POOL_SMTP_SECURE: 'yes' }, undefined)).toThrow(/POOL_SMTP_SECURE: must be true or false/);
    expect(() => loadPoolConfig({}, file('notifications: { offline_after_seconds: 5 }'))).toThrow(/notifications\.offline_after_seconds/);
    expect(() => loadPoolConfig({}, file('notifications: { smtp: { hots: x } }'))).toThrow(/notifications\.smtp\.hots/);
  });
});
