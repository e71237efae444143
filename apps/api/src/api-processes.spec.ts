import { availableParallelism } from 'node:os';
import { apiProcessCount, cryptoThreadsPerProcess, rateLimitsPerProcess } from './api-processes';

describe('api processes', () => {
  it('runs one process per core unless configured', () => {
    expect(apiProcessCount(undefined)).toBe(availableParallelism());
    expect(apiProcessCount(3)).toBe(3);
  });

  it('shares the cores out between the processes\' crypto threads, at least one each', () => {
    expect(cryptoThreadsPerProcess(1)).toBe(availableParallelism());
    expect(cryptoThreadsPerProcess(availableParallelism())).toBe(1);
    expect(cryptoThreadsPerProcess(10 * availableParallelism())).toBe(1);
  });

  it('shares each per-client budget out between the processes, rounding up, so the pool-wide limit stays the configured one', () => {
    const limits = { enabled: true, perAddressPerMinute: 1200, perLauncherPerMinute: 301 };
    expect(rateLimitsPerProcess(limits, 1)).toEqual(limits);
    expect(rateLimitsPerProcess(limits, 2)).toEqual({ enabled: true, perAddressPerMinute: 600, perLauncherPerMinute: 151 });
    expect(rateLimitsPerProcess({ ...limits, perLauncherPerMinute: 1 }, 4)).toMatchObject({ perLauncherPerMinute: 1 });
    expect(rateLimitsPerProcess({ ...limits, enabled: false }, 2).enabled).toBe(false);
  });
});
