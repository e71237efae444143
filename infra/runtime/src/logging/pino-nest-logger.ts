import { type LoggerService, type LogLevel as NestLogLevel } from '@nestjs/common';
import { type LogLevel } from '@pool/config';
import pino, { type DestinationStream, type Logger } from 'pino';

/** Nest's level names, least to most verbose, and the pino level each one writes at. */
const NEST_TO_PINO: Readonly<Record<NestLogLevel, LogLevel>> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };
const PINO_ORDER: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** The most verbose pino level a list of Nest levels asks for (`['error', 'warn']` → warn; `[]` or false → silent). */
export function pinoLevelFor(levels: false | readonly NestLogLevel[]): LogLevel | 'silent' {
  if (levels === false || levels.length === 0) return 'silent';
  return levels.map((l) => NEST_TO_PINO[l]).reduce((a, b) => (PINO_ORDER.indexOf(a) >= PINO_ORDER.indexOf(b) ? a : b));
}

export function createPinoLogger(level: LogLevel | 'silent', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid, service: 'chia-pool-ledger' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names, not numbers: log pipelines and people read the same field.
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/**
 * Nest's logger interface on pino: one JSON object per line with level, time, context (the Nest logger's name)
 * and msg; errors carry their stack in `err`. Nest passes the context as the last string argument and, for
 * errors, the stack before it.
 */
export class PinoNestLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  setLogLevels(levels: NestLogLevel[]): void {
    this.pino.level = pinoLevelFor(levels);
  }

  private write(level: LogLevel, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (context !== undefined) fields.context = context;
    const stack = rest.find((p): p is string => typeof p === 'string' && /\n\s+at /.test(p));
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, message.message);
      return;
    }
    if (stack !== undefined) fields.stack = stack;
    if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
      return;
    }
    this.pino[level](fields, String(message));
  }
}
