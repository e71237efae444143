import { createHash, createHmac } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import { type SmtpSettings } from '@pool/config';
import { type Notification } from '../notification';
import { type DeliverableTarget } from '../notification-targets';
import { DeliveryError, postJson } from './http-post';

/** One notification on its way to one target, with the words every transport uses. */
export interface Delivery {
  notification: Notification;
  target: DeliverableTarget;
  title: string;
  text: string;
}

export interface TransportOptions {
  smtp?: SmtpSettings;
  telegramApiUrl: string;
  /** Tests only: webhooks to http:// and loopback receivers. */
  allowLocalUrls?: boolean;
  timeoutMs?: number;
  /** Unix seconds for the webhook signature's timestamp. */
  now(): number;
}

/** The header names of the generic webhook (README "Notifications" documents how to verify them). */
export const WEBHOOK_HEADERS = {
  signature: 'x-pool-signature',
  timestamp: 'x-pool-timestamp',
  key: 'idempotency-key',
} as const;

/**
 * `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: the timestamp is signed with the body, so a receiver
 * that refuses old timestamps cannot be fed a replayed delivery.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Sends deliveries by the target's kind: SMTP (nodemailer), Discord and Telegram webhooks, the signed webhook. */
export class Transports {
  private mailer: Transporter | undefined;

  constructor(private readonly options: TransportOptions) {}

  get emailEnabled(): boolean {
    return this.options.smtp !== undefined;
  }

  async send(delivery: Delivery): Promise<void> {
    const { target } = delivery;
    switch (target.kind) {
      case 'email':
        return this.email(delivery);
      case 'discord':
        // Discord caps a message at 2000 characters; ours are far shorter, cut anyway rather than be refused.
        await this.post(target.address, { content: `**${delivery.title}**\n${delivery.text}`.slice(0, 2000), allowed_mentions: { parse: [] } }, { [WEBHOOK_HEADERS.key]: delivery.notification.key });
        return;
      case 'telegram': {
        const cut = target.address.lastIndexOf(':');
        const [token, chatId] = [target.address.slice(0, cut), target.address.slice(cut + 1)];
        const base = this.options.telegramApiUrl.replace(/\/+$/, '');
        await this.post(`${base}/bot${token}/sendMessage`, { chat_id: chatId, text: `${delivery.title}\n\n${delivery.text}`, disable_web_page_preview: true }, {}, 'Telegram');
        return;
      }
      case 'webhook':
        return this.webhook(delivery);
    }
  }

  private async webhook({ notification, target, title, text }: Delivery): Promise<void> {
    if (target.secret === null) throw new DeliveryError('this webhook has no signing secret: remove it and add it again');
    const body = JSON.stringify({ id: notification.key, kind: notification.kind, launcherId: notification.launcherId, occurredAt: notification.occurredAt, title, text, data: notification.data });
    const timestamp = String(Math.floor(this.options.now()));
    await this.post(target.address, JSON.parse(body) as unknown, {
      [WEBHOOK_HEADERS.key]: notification.key,
      [WEBHOOK_HEADERS.timestamp]: timestamp,
      [WEBHOOK_HEADERS.signature]: webhookSignature(target.secret, timestamp, body),
    });
  }

  /** `hideHost`: a Telegram URL holds the bot token, so errors name the service instead. */
  private async post(url: string, body: unknown, headers: Record<string, string>, hideHost?: string): Promise<void> {
    try {
      await postJson(url, body, { headers, timeoutMs: this.options.timeoutMs ?? 10_000, allowLocal: this.options.allowLocalUrls === true });
    } catch (error) {
      const message = (error as Error).message;
      throw new DeliveryError(hideHost ? message.replace(new URL(url).hostname, hideHost).replace(/bot[^/\s]+/g, 'bot<token>') : message);
    }
  }

  private async email({ notification, target, title, text }: Delivery): Promise<void> {
    const smtp = this.options.smtp;
    if (smtp === undefined) throw new DeliveryError('the pool has no e-mail server configured any more');
    this.mailer ??= createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user === undefined ? {} : { auth: { user: smtp.user, pass: smtp.pass ?? '' } }),
      connectionTimeout: this.options.timeoutMs ?? 10_000,
      greetingTimeout: this.options.timeoutMs ?? 10_000,
      socketTimeout: this.options.timeoutMs ?? 10_000,
    });
    // The Message-ID comes from the deduplication key: a mail sent again after a crash is the same message.
    const domain = /@([^>\s]+)>?\s*$/.exec(smtp.from)?.[1] ?? 'pool.invalid';
    const messageId = `<${createHash('sha256').update(`${notification.key}\n${target.id}`).digest('hex').slice(0, 32)}@${domain}>`;
    try {
      await this.mailer.sendMail({ from: smtp.from, to: target.address, subject: title, text, messageId, headers: { 'X-Pool-Notification-Id': notification.key } });
    } catch (error) {
      throw new DeliveryError(`e-mail to ${target.address}: ${(error as Error).message}`);
    }
  }

  close(): void {
    this.mailer?.close();
  }
}
