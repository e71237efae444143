import { type CallHandler, type ExecutionContext, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ReadModelsNotBuiltError } from '@pool/projections';
import { lastValueFrom, throwError } from 'rxjs';
import { ReadModelsNotBuiltInterceptor } from './read-models-not-built.interceptor';

describe('ReadModelsNotBuiltInterceptor', () => {
  const failingWith = (error: Error): CallHandler => ({ handle: () => throwError(() => error) });
  const answer = (error: Error): Promise<unknown> => lastValueFrom(new ReadModelsNotBuiltInterceptor().intercept({} as ExecutionContext, failingWith(error)));

  it('answers a read of a view the projector has not built yet with a 503 that says so', async () => {
    await expect(answer(new ReadModelsNotBuiltError(new Error('no such table: farmer_view')))).rejects.toThrow(ServiceUnavailableException);
    await expect(answer(new ReadModelsNotBuiltError(new Error('no such table: farmer_view')))).rejects.toThrow(/projector has not run its first pass/);
  });

  it('lets every other error through unchanged', async () => {
    const notFound = new NotFoundException('no payout p');
    await expect(answer(notFound)).rejects.toBe(notFound);
  });
});
