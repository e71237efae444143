import { PoolErrorCode, StreamableError } from '@pool/chia';
import { PoolProtocolError } from './pool-protocol.error';

/** Decoding after validation can still refuse (e.g. a field class-validator cannot see); say which. */
export function decodeRequest<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof StreamableError) throw new PoolProtocolError(PoolErrorCode.SERVER_EXCEPTION, `invalid request: ${error.message}`);
    throw error;
  }
}
