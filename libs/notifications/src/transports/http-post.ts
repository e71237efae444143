import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { lookup as dnsLookup, type LookupAddress, type LookupOneOptions } from 'node:dns';
import { isPrivateHost } from '../notification-targets';

export interface PostOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Tests only: allow http:// and loopback or private addresses (a local receiver). */
  allowLocal?: boolean;
}

/** Why a delivery failed, worded for the farmer (no URL: a webhook URL carries its own secret). */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Refuses to connect to a private address, checked on the address DNS gives at connection time (not only on the
 * name when the farmer added it): a farmer's host name may be pointed at the pool's own network later.
 */
function publicOnlyLookup(hostname: string, options: LookupOneOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    const list = addresses as LookupAddress[];
    const refused = list.find((a) => isPrivateHost(a.address));
    if (refused || list.length === 0) return callback(Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' }), '');
    if ((options as { all?: boolean }).all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
}

/** POSTs a JSON body; resolves with the status and (the start of) the body of a 2xx answer, rejects otherwise. */
export function postJson(url: string, body: unknown, options: PostOptions = {}): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const payload = Buffer.from(JSON.stringify(body));
  if (target.protocol !== 'https:' && !(options.allowLocal && target.protocol === 'http:')) return Promise.reject(new DeliveryError('only https:// is allowed'));
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': 'chia-pool-ledger-notifier', ...options.headers },
        timeout: options.timeoutMs ?? 10_000,
        ...(options.allowLocal ? {} : { lookup: publicOnlyLookup as never }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          // Only the start is kept (for the error shown to the farmer); the rest is read and dropped.
          if (size < 4096) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8').slice(0, 4096);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ status, body: text });
          else reject(new DeliveryError(`${target.hostname} answered HTTP ${status}${text ? `: ${text.slice(0, 200).replace(/\s+/g, ' ')}` : ''}`));
        });
        res.on('error', (error) => reject(new DeliveryError(`${target.hostname}: ${error.message}`)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${(options.timeoutMs ?? 10_000) / 1000} s`)));
    req.on('error', (error) => reject(error instanceof DeliveryError ? error : new DeliveryError(`${target.hostname}: ${error.message}`)));
    req.end(payload);
  });
}
