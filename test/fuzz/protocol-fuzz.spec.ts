import { PoolErrorCode } from '@pool/chia';
import { classify } from './protocol-fuzz';

/** The fuzzer's judge: what counts as a protocol answer. A judge that let a 500 through would make the fuzz run worthless. */
describe('protocol fuzzer: classify', () => {
  const refusal = (code: unknown, message: unknown = 'invalid request: payload.launcher_id must be 32 bytes of hex') => ({ status: 200, body: { error_code: code, error_message: message } });

  it('takes HTTP 200 with a known code and a message as a refusal, and the route answer as an answer', () => {
    expect(classify({}, refusal(PoolErrorCode.INVALID_SIGNATURE, 'bad signature'))).toEqual({ kind: 'refused', code: PoolErrorCode.INVALID_SIGNATURE });
    expect(classify({}, { status: 200, body: { welcome_message: 'hi' } })).toEqual({ kind: 'answered' });
  });

  it.each([
    ['a 4xx', { status: 404, body: { message: 'Not Found' } }, 'HTTP 404'],
    ['a 500', { status: 500, body: { statusCode: 500 } }, 'HTTP 500'],
    ['a connection that died', { status: 0, body: { unparsable: 'request failed: socket hang up' } }, 'HTTP 0'],
    ['text that is no JSON object', { status: 200, body: { unparsable: '<html>' } }, 'not a JSON object'],
    ['an unknown code', refusal(999), 'error_code 999 is not a protocol code'],
    ['a code as a string', refusal('8'), 'error_code "8" is not a protocol code'],
    ['no message', refusal(8, null), 'no error_message'],
    ['an unexpected exception dressed as 8', refusal(8, 'the pool could not process the request'), 'unexpected exception'],
  ])('counts %s as non-protocol', (_name, answer, why) => {
    expect(classify({}, answer)).toMatchObject({ kind: 'nonProtocol', why });
  });

  it('counts a refusal other than the case calls for as unexpected', () => {
    expect(classify({ code: PoolErrorCode.SERVER_EXCEPTION }, refusal(PoolErrorCode.INVALID_SIGNATURE))).toMatchObject({ kind: 'unexpectedRefusal' });
    expect(classify({ code: PoolErrorCode.SERVER_EXCEPTION, field: 'sp_hash' }, refusal(PoolErrorCode.SERVER_EXCEPTION))).toMatchObject({ kind: 'unexpectedRefusal', why: 'message does not name sp_hash' });
    expect(classify({ code: PoolErrorCode.SERVER_EXCEPTION, field: 'launcher_id' }, refusal(PoolErrorCode.SERVER_EXCEPTION))).toEqual({ kind: 'refused', code: PoolErrorCode.SERVER_EXCEPTION });
  });
});
