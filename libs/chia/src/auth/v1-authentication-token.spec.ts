import fc from 'fast-check';
import { describeWithVectors } from '@pool/testing';
import {
  authenticationTokenWindow,
  getCurrentAuthenticationToken,
  validateAuthenticationToken,
} from './v1-authentication-token';

interface TokenVector {
  unix_time: number;
  authentication_token_timeout: number;
  'token = floor(floor(t/60)/timeout)': number;
  accepted_range_inclusive: [number, number];
}

describeWithVectors<{ authentication_token: TokenVector[] }>(
  'v1 authentication token (iterations_filter_token.json)',
  'protocol/iterations_filter_token.json',
  (file) => {
    it.each(file.authentication_token.map((v) => [v.unix_time, v.authentication_token_timeout, v] as const))(
      't=%d timeout=%d',
      (now, timeout, vector) => {
        const expected = BigInt(vector['token = floor(floor(t/60)/timeout)']);
        const [first, last] = vector.accepted_range_inclusive.map(BigInt) as [bigint, bigint];
        expect(getCurrentAuthenticationToken(timeout, now)).toBe(expected);
        expect(authenticationTokenWindow(timeout, now)).toEqual({ first, last });
        expect(validateAuthenticationToken(first, timeout, now)).toBe(true);
        expect(validateAuthenticationToken(last, timeout, now)).toBe(true);
        expect(validateAuthenticationToken(first - 1n, timeout, now)).toBe(false);
        expect(validateAuthenticationToken(last + 1n, timeout, now)).toBe(false);
      },
    );
  },
);

describe('v1 authentication token (self-contained)', () => {
  it('matches the signed-request example: 2023-08-07 00:00 UTC with timeout 5 is token 5637888', () => {
    // 1691366400 s = 28189440 min; 28189440 / 5 = 5637888.
    expect(getCurrentAuthenticationToken(5, 1691366400)).toBe(5637888n);
    expect(getCurrentAuthenticationToken(5, 1691366400n)).toBe(5637888n);
  });

  it('changes exactly every timeout minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 0, max: 4_000_000_000 }), (timeout, now) => {
        const periodStart = Math.floor(now / (60 * timeout)) * 60 * timeout;
        const token = getCurrentAuthenticationToken(timeout, now);
        expect(getCurrentAuthenticationToken(timeout, periodStart)).toBe(token);
        expect(getCurrentAuthenticationToken(timeout, periodStart + 60 * timeout - 1)).toBe(token);
        expect(getCurrentAuthenticationToken(timeout, periodStart + 60 * timeout)).toBe(token + 1n);
      }),
    );
  });

  it('accepts a token issued up to timeout² minutes earlier or later and nothing beyond', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 100_000_000, max: 4_000_000_000 }), (timeout, now) => {
        const windowSeconds = timeout * timeout * 60;
        const farmerToken = getCurrentAuthenticationToken(timeout, now);
        // The pool's clock a full window later still accepts; one token period beyond that does not.
        expect(validateAuthenticationToken(farmerToken, timeout, now + windowSeconds)).toBe(true);
        expect(validateAuthenticationToken(farmerToken, timeout, now - windowSeconds)).toBe(true);
        expect(validateAuthenticationToken(farmerToken, timeout, now + windowSeconds + 60 * timeout)).toBe(false);
        expect(validateAuthenticationToken(farmerToken, timeout, now - windowSeconds - 60 * timeout)).toBe(false);
      }),
    );
  });

  it('floors fractional seconds', () => {
    expect(getCurrentAuthenticationToken(1, 119.999)).toBe(1n);
  });

  it('never yields a negative window start', () => {
    expect(authenticationTokenWindow(5, 0)).toEqual({ first: 0n, last: 5n });
  });

  it('rejects bad timeouts and clocks', () => {
    expect(() => getCurrentAuthenticationToken(0, 1)).toThrow(/from 1 to 255/);
    expect(() => getCurrentAuthenticationToken(256, 1)).toThrow(/from 1 to 255/);
    expect(() => getCurrentAuthenticationToken(1.5, 1)).toThrow(/from 1 to 255/);
    expect(() => getCurrentAuthenticationToken(5, -1)).toThrow(/non-negative/);
    expect(() => getCurrentAuthenticationToken(5, Number.NaN)).toThrow(/non-negative/);
    expect(() => validateAuthenticationToken(5 as unknown as bigint, 5, 0)).toThrow(/bigint/);
  });
});
