import { type ArgumentsHost, Logger } from '@nestjs/common';
import { PoolErrorCode } from '@pool/chia';
import { OncePer, oneLine, PoolProtocolExceptionFilter } from './pool-protocol.filter';

/** A request and reply just real enough for the filter: the route the router matched, and what is sent. */
function host(routeUrl: string | undefined, rawUrl: string): { host: ArgumentsHost; sent: { status?: number; body?: unknown } } {
  const sent: { status?: number; body?: unknown } = {};
  const reply = { status: (code: number) => ((sent.status = code), reply), send: (body: unknown) => ((sent.body = body), reply) };
  const request = { method: 'POST', url: rawUrl, routeOptions: { url: routeUrl } };
  const http = { getRequest: () => request, getResponse: () => reply };
  return { host: { switchToHttp: () => http } as unknown as ArgumentsHost, sent };
}

describe('the exception filter', () => {
  it('logs an unexpected error as one bounded line, with its stack the first time only (repeats at debug)', () => {
    const lines: Record<string, string[]> = { error: [], debug: [] };
    const spies = (['error', 'debug'] as const).map((level) => jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => void lines[level]!.push(String(args[0]))));
    try {
      const error = new TypeError(`Cannot read properties of undefined (reading 'constructor')\n${'x'.repeat(2000)}`);
      const filter = new PoolProtocolExceptionFilter();
      const { host: h, sent } = host('/partial', '/p%61rtial');
      filter.catch(error, h);
      expect(sent).toEqual({ status: 200, body: { error_code: PoolErrorCode.SERVER_EXCEPTION, error_message: expect.any(String) } });
      expect(lines.error).toHaveLength(1);
      const [line, ...stack] = lines.error[0]!.split('\n');
      expect(line).toMatch(/^POST \/partial: TypeError: Cannot read properties of undefined \(reading 'constructor'\)/);
      expect(line!.length).toBeLessThanOrEqual(400);
      expect(stack.join('\n')).toBe(error.stack);

      for (let i = 0; i < 3; i++) filter.catch(error, host('/partial', '/partial').host);
      expect(lines.error.slice(1)).toEqual([line, line, line]);
      expect(lines.debug).toEqual([error.stack, error.stack, error.stack]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('names where the error was thrown', () => {
    const error = new Error('boom');
    error.stack = 'Error: boom\n    at plainToInstance (/x/index.ts:84:27)\n    at transform (/y.ts:1:1)';
    expect(oneLine(error, 'GET /farmer')).toBe('GET /farmer: Error: boom (at plainToInstance (/x/index.ts:84:27))');
    expect(oneLine('a string', 'GET /farmer')).toBe('GET /farmer: a string');
  });

  it('decides protocol or read API on the routed path, not the raw URL', () => {
    const { host: h, sent } = host('/api/pool/stats', '/%61pi/pool/stats');
    new PoolProtocolExceptionFilter().catch(Object.assign(new Error('bad'), { statusCode: 400 }), h);
    expect(sent).toEqual({ status: 400, body: { statusCode: 400, message: 'bad' } });
  });

  it('says yes once per key and period, and forgets the oldest keys past its bound', () => {
    const once = new OncePer(1000, 2);
    expect([once.due('a', 0), once.due('a', 999), once.due('a', 1000)]).toEqual([true, false, true]);
    expect([once.due('b', 1001), once.due('c', 1002), once.due('a', 1003)]).toEqual([true, true, true]);
  });
});
