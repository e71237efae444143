import { createHash, randomBytes } from 'node:crypto';
import { loadVectors } from '@pool/testing';
import { handleItersLine, handleVerifyProofLine } from './pos-cli-handlers';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('handleVerifyProofLine', () => {
  const wellFormed = { k: 32, plot_id: hex(randomBytes(32)), challenge: hex(randomBytes(32)), proof: hex(randomBytes(256)) };

  it.each([null, 42, 'text', [1, 2], undefined])('answers %p with an error', (input) => {
    expect(handleVerifyProofLine(input)).toEqual({ error: 'input must be a JSON object' });
  });

  it.each([
    [{ ...wellFormed, k: undefined }, /"k"/],
    [{ ...wellFormed, k: '32' }, /"k"/],
    [{ ...wellFormed, plot_id: undefined }, /"plot_id"/],
    [{ ...wellFormed, plot_id: 'zz' }, /"plot_id" is not valid hex/],
    [{ ...wellFormed, plot_id: 'abc' }, /"plot_id" is not valid hex/],
    [{ ...wellFormed, challenge: hex(randomBytes(31)) }, /"challenge" must be 32 bytes/],
    [{ ...wellFormed, proof: 5 }, /"proof"/],
  ])('reports malformed fields: %p', (input, message) => {
    const result = handleVerifyProofLine(input);
    expect('error' in result && result.error).toMatch(message);
  });

  it('answers valid:false with a reason for a well-formed but wrong proof, with or without 0x', () => {
    expect(handleVerifyProofLine(wellFormed)).toEqual({ valid: false, reason: expect.any(String) });
    const prefixed = { ...wellFormed, plot_id: `0x${wellFormed.plot_id}`, proof: `0x${wellFormed.proof}` };
    expect(handleVerifyProofLine(prefixed)).toEqual({ valid: false, reason: expect.any(String) });
    expect(handleVerifyProofLine({ ...wellFormed, proof: wellFormed.proof.slice(2) })).toEqual({
      valid: false,
      reason: expect.stringContaining('256 bytes'),
    });
    expect(handleVerifyProofLine({ ...wellFormed, k: 60 })).toEqual({ valid: false, reason: expect.stringContaining('k=60') });
  });

  const vectors = loadVectors<{ vectors: Array<{ plot_id: string; k: number; challenge: string; proof: string; quality: string }> }>(
    'pos/chiapos_k21_proofs.json',
  );
  (vectors ? it : it.skip)('returns the quality of a valid proof (vector), also for 0x-prefixed upper-case hex', () => {
    const v = vectors!.vectors[0];
    expect(handleVerifyProofLine({ k: v.k, plot_id: v.plot_id, challenge: v.challenge, proof: v.proof })).toEqual({
      valid: true,
      quality: v.quality,
    });
    const shouty = { k: v.k, plot_id: `0x${v.plot_id.toUpperCase()}`, challenge: `0X${v.challenge}`, proof: `0x${v.proof}` };
    expect(handleVerifyProofLine(shouty)).toEqual({ valid: true, quality: v.quality });
  });
});

describe('handleItersLine', () => {
  const quality = hex(randomBytes(32));
  const spHash = hex(randomBytes(32));

  it('computes the floor formula from its inputs (hex with or without 0x, difficulty as number or string)', () => {
    const q = BigInt(`0x${createHash('sha256').update(Buffer.from(quality, 'hex')).update(Buffer.from(spHash, 'hex')).digest('hex')}`);
    const expected = (1000n * (1n << 67n) * q) / ((1n << 256n) * 65n * (1n << 31n));
    const fromNumber = handleItersLine({ quality, sp_hash: spHash, k: 32, difficulty: 1000 });
    expect(fromNumber).toEqual({ required_iters: (expected > 1n ? expected : 1n).toString() });
    expect(handleItersLine({ quality: `0x${quality}`, sp_hash: `0x${spHash}`, k: 32, difficulty: '1000' })).toEqual(fromNumber);
  });

  it('accepts difficulties beyond 2^53 as decimal strings', () => {
    const result = handleItersLine({ quality, sp_hash: spHash, k: 32, difficulty: '18446744073709551615' });
    expect('required_iters' in result && BigInt(result.required_iters) > 0n).toBe(true);
  });

  it.each([
    [[], /JSON object/],
    [{ sp_hash: spHash, k: 32, difficulty: 1 }, /"quality"/],
    [{ quality: 'xyz', sp_hash: spHash, k: 32, difficulty: 1 }, /"quality" is not valid hex/],
    [{ quality, sp_hash: spHash.slice(2), k: 32, difficulty: 1 }, /"sp_hash" must be 32 bytes/],
    [{ quality, sp_hash: spHash, k: 0, difficulty: 1 }, /"k"/],
    [{ quality, sp_hash: spHash, k: 32, difficulty: -5 }, /"difficulty"/],
    [{ quality, sp_hash: spHash, k: 32, difficulty: 1.5 }, /"difficulty"/],
    [{ quality, sp_hash: spHash, k: 32, difficulty: '18446744073709551616' }, /64 bits/],
  ])('reports malformed input %p', (input, message) => {
    const result = handleItersLine(input);
    expect('error' in result && result.error).toMatch(message);
  });

  const vectors = loadVectors<{ required_iters: Array<{ quality_string: string; sp_hash: string; k: number; difficulty: number; required_iters: number }> }>(
    'protocol/iterations_filter_token.json',
  );
  (vectors ? it : it.skip)('reproduces the required_iters vectors', () => {
    for (const v of vectors!.required_iters) {
      expect(handleItersLine({ quality: v.quality_string, sp_hash: v.sp_hash, k: v.k, difficulty: v.difficulty })).toEqual({
        required_iters: String(v.required_iters),
      });
    }
  });
});
