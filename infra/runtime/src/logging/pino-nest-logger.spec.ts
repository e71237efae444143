import { Writable } from 'node:stream';
import { createPinoLogger, pinoLevelFor, PinoNestLogger } from './pino-nest-logger';

function capture(level: Parameters<typeof createPinoLogger>[0]): { logger: PinoNestLogger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = new PinoNestLogger(createPinoLogger(level, sink));
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('PinoNestLogger', () => {
  it('maps Nest level lists to the most verbose pino level they ask for', () => {
    expect(pinoLevelFor(['error'])).toBe('error');
    expect(pinoLevelFor(['error', 'warn', 'log'])).toBe('info');
    expect(pinoLevelFor(['verbose', 'error'])).toBe('trace');
    expect(pinoLevelFor(false)).toBe('silent');
    expect(pinoLevelFor([])).toBe('silent');
  });

  it('writes one JSON object per line with level name, time, context and message, and filters by level', () => {
    const { logger, lines } = capture('info');
    logger.log('api listening', 'Main');
    logger.debug('not at info', 'Main');
    logger.warn({ farmers: 3, note: 'structured' }, 'PoolLoops');
    logger.error('payout failed', 'Error: boom\n    at saga (payout.ts:1:1)', 'PayoutSaga');
    logger.error(new Error('kaput'), 'Projector');
    const out = lines();
    expect(out).toHaveLength(4);
    expect(out[0]).toMatchObject({ level: 'info', context: 'Main', msg: 'api listening', service: 'chia-pool-ledger' });
    expect(typeof out[0]!.time).toBe('string');
    expect(out[1]).toMatchObject({ level: 'warn', context: 'PoolLoops', farmers: 3, note: 'structured' });
    expect(out[2]).toMatchObject({ level: 'error', context: 'PayoutSaga', msg: 'payout failed', stack: expect.stringContaining('at saga') });
    expect(out[3]).toMatchObject({ level: 'error', context: 'Projector', msg: 'kaput', err: { type: 'Error', message: 'kaput', stack: expect.any(String) } });
  });

  it('follows setLogLevels', () => {
    const { logger, lines } = capture('info');
    logger.setLogLevels(['error']);
    logger.warn('hidden');
    logger.error('shown');
    expect(lines().map((l) => l.msg)).toEqual(['shown']);
  });
});
