import { Logger } from '@nestjs/common';
import type { Projector } from '@pool/read-models';
import { ProjectorService } from './projector.module';

describe('ProjectorService', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('starts the projector again from its checkpoints after a failure instead of staying down', async () => {
    const run = jest.fn().mockRejectedValueOnce(new Error('SqliteError: database is locked')).mockResolvedValueOnce(undefined);
    const service = new ProjectorService({ run } as unknown as Projector);
    service.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(run).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(run).toHaveBeenCalledTimes(2);
    await service.onApplicationShutdown();
  });

  it('does not restart once the application shuts down', async () => {
    const run = jest.fn().mockRejectedValue(new Error('connection lost'));
    const service = new ProjectorService({ run } as unknown as Projector);
    service.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    await service.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
