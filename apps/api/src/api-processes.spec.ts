import { availableParallelism } from 'node:os';
import { API_PROCESS_V8_FLAGS, apiProcessCount, apiProcessExecArgv, cryptoThreadsPerProcess, rateLimitsPerProcess } from './api-processes';

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

  it("starts its processes with the supervisor's flags and a larger young generation, unless the operator chose one", () => {
    expect(API_PROCESS_V8_FLAGS).toEqual(['--max-semi-space-size=64']);
    expect(apiProcessExecArgv(['--enable-source-maps'])).toEqual(['--enable-source-maps', '--max-semi-space-size=64']);
    expect(apiProcessExecArgv(['--max-semi-space-size=16'])).toEqual(['--max-semi-space-size=16']);
    expect(apiProcessExecArgv([], '--max_semi_space_size=8 --trace-warnings')).toEqual([]);
    expect(apiProcessExecArgv([], '--max-old-space-size=4096')).toEqual(['--max-semi-space-size=64']);
  });
});
