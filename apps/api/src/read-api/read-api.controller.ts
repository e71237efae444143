import { applyDecorators, Controller, UseInterceptors, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { readApiValidationPipe } from './read-api.dto';
import { ReadModelsNotBuiltInterceptor } from './read-models-not-built.interceptor';

/**
 * A read API page's controller: under /api (pool pages) or /api/farmers (one farmer's pages), query strings
 * validated, and "not built yet" answered as a 503.
 */
export function ReadApiController(tag: 'pool' | 'farmers'): ClassDecorator {
  return applyDecorators(
    ApiTags(tag),
    Controller(tag === 'pool' ? 'api' : 'api/farmers'),
    UsePipes(readApiValidationPipe),
    UseInterceptors(new ReadModelsNotBuiltInterceptor()),
  );
}

export const LAUNCHER_PARAM = { name: 'launcherId', description: 'the plot NFT launcher id: 64 hex characters, 0x optional' };
export const PAGED = 'Keyset paged: pass `nextCursor` back as `cursor` for the next page; `nextCursor` is null on the last one.';
export const AMOUNTS = 'Points, mojos and bytes are decimal strings (they pass 2^53); times are unix seconds of ledger time.';
