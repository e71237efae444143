import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

/**
 * What the simulated farmers say they are. Chia's farmer sends `User-Agent: Chia Blockchain v.<version>` with every
 * pool request, and its partials carry `chia-farmer-version` and `chia-harvester-version` too (chia-blockchain
 * chia/farmer/farmer_api.py, tested by test_farmer_additional_headers_on_partial_submit); the devnet's farmers do the
 * same, with a version that says they are simulated.
 */
export const DEVNET_FARMER_VERSION = '0.0.0-devnet';
export const DEVNET_FARMER_USER_AGENT = `Chia Blockchain v.${DEVNET_FARMER_VERSION}`;
export const DEVNET_PARTIAL_HEADERS: Readonly<Record<string, string>> = {
  'chia-farmer-version': DEVNET_FARMER_VERSION,
  'chia-harvester-version': DEVNET_FARMER_VERSION,
};

export interface PoolHttpResponse {
  status: number;
  text: string;
}

export interface PoolRequest {
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
}

/**
 * How a simulated farmer reaches the pool: plain HTTP, or HTTPS checked as Chia's farmer checks it (the chain up to
 * a trusted root and the host name). `trustedCertificates` (PEM) are trusted besides the public roots, so a devnet
 * serving a private or self-signed certificate is reachable; Node 20's global fetch takes no CA, hence node:https.
 * Connections are kept alive between requests, as fetch (and aiohttp in Chia's farmer) keep them.
 */
export class PoolHttpClient {
  private readonly agent: HttpAgent;
  private readonly secure: boolean;

  constructor(
    private readonly baseUrl: string,
    trustedCertificates?: string,
  ) {
    this.secure = new URL(baseUrl).protocol === 'https:';
    this.agent = this.secure
      ? new HttpsAgent({ keepAlive: true, ...(trustedCertificates === undefined ? {} : { ca: [...rootCertificates, trustedCertificates] }) })
      : new HttpAgent({ keepAlive: true });
  }

  request(path: string, options: PoolRequest = {}): Promise<PoolHttpResponse> {
    const send = this.secure ? httpsRequest : httpRequest;
    const headers = { 'user-agent': DEVNET_FARMER_USER_AGENT, ...options.headers };
    return new Promise((resolve, reject) => {
      const req = send(`${this.baseUrl}${path}`, { method: options.method ?? 'GET', headers, agent: this.agent }, (response: IncomingMessage) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.once('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.once('error', reject);
      });
      req.once('error', reject);
      req.end(options.body);
    });
  }

  /** Closes the kept-alive connections (idle ones never hold the process open). */
  close(): void {
    this.agent.destroy();
  }
}
