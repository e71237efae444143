import { type CallHandler, type ExecutionContext, type NestInterceptor, ServiceUnavailableException } from '@nestjs/common';
import { ReadModelsNotBuiltError } from '@pool/projections';
import { catchError, throwError, type Observable } from 'rxjs';

/** Before the projector's first pass the views do not exist yet: say so instead of a bare 500. */
export class ReadModelsNotBuiltInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) =>
        throwError(() =>
          error instanceof ReadModelsNotBuiltError
            ? new ServiceUnavailableException('the read models are not built yet: the projector has not run its first pass')
            : error,
        ),
      ),
    );
  }
}
