import { describeWithVectors } from '@pool/testing';
import { MAINNET_POS_CONSTANTS } from './pos-constants';
import { decodeProofVersionPrefix, isV2Active, v2ProofByteLength, verifyProofV2 } from './proof-v2';
import { plotIdV2 } from './plot-id';
import { verifyProof } from './proof-verifier';

const v2Fields = (overrides: Partial<Parameters<typeof verifyProofV2>[0]> = {}): Parameters<typeof verifyProofV2>[0] => ({
  version: 1,
  plotIndex: 3,
  metaGroup: 1,
  strength: 2,
  proof: new Uint8Array(448),
  ...overrides,
});

describe('v2 proofs (recognised, not verified)', () => {
  it('decodes the chia_rs option prefix byte', () => {
    expect(decodeProofVersionPrefix(0)).toEqual({ version: 0, present: false });
    expect(decodeProofVersionPrefix(1)).toEqual({ version: 0, present: true });
    expect(decodeProofVersionPrefix(2)).toEqual({ version: 1, present: false });
    expect(decodeProofVersionPrefix(3)).toEqual({ version: 1, present: true });
    expect(decodeProofVersionPrefix(4)).toBeUndefined();
    expect(decodeProofVersionPrefix(-1)).toBeUndefined();
  });

  it('is not active on mainnet at any realistic height', () => {
    expect(isV2Active(10_000_000)).toBe(false);
    expect(verifyProofV2(v2Fields(), { prevTransactionBlockHeight: 10_000_000 })).toEqual({
      valid: false,
      reason: 'v2 proofs not active',
    });
  });

  it('once a configured fork height is reached, says verification is not implemented', () => {
    const devnet = { ...MAINNET_POS_CONSTANTS, hardFork2Height: 100 };
    expect(verifyProofV2(v2Fields(), { prevTransactionBlockHeight: 99, constants: devnet })).toEqual({
      valid: false,
      reason: 'v2 proofs not active',
    });
    expect(verifyProofV2(v2Fields(), { prevTransactionBlockHeight: 100, constants: devnet })).toEqual({
      valid: false,
      reason: 'v2 proof verification not implemented',
    });
  });

  it('reports malformed v2 fields before the not-implemented answer', () => {
    const context = { prevTransactionBlockHeight: 0, constants: { ...MAINNET_POS_CONSTANTS, hardFork2Height: 0 } };
    expect(v2ProofByteLength()).toBe(448);
    expect(verifyProofV2(v2Fields({ strength: 1 }), context)).toMatchObject({ valid: false, reason: expect.stringContaining('strength') });
    expect(verifyProofV2(v2Fields({ proof: new Uint8Array(447) }), context)).toMatchObject({ reason: expect.stringContaining('448') });
    expect(verifyProofV2(v2Fields({ version: 0 }), context)).toMatchObject({ reason: expect.stringContaining('version') });
  });
});

interface V2File {
  plot_public_key: string;
  vectors: Array<{
    strength: string;
    plot_index: string;
    meta_group: string;
    pool_contract?: string;
    pool_pk?: string;
    proof: string;
    plot_group_id_computed: string;
    plot_id_v2_computed: string;
  }>;
}

describeWithVectors<V2File>('v2 k22 vectors', 'pos/v2_quality_string_k22.json', (file) => {
  const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
  it('plot ids follow the v2 formula', () => {
    for (const v of file.vectors) {
      const pool = hex((v.pool_contract ?? v.pool_pk) as string);
      const plotId = plotIdV2(Number(v.strength), hex(file.plot_public_key), pool, Number(v.plot_index), Number(v.meta_group));
      expect(Buffer.from(plotId).toString('hex')).toBe(v.plot_id_v2_computed);
    }
  });
  it('the v1 verifier rejects them, and verifyProofV2 recognises them once active', () => {
    const devnet = { ...MAINNET_POS_CONSTANTS, hardFork2Height: 0, plotSizeV2: 22 };
    for (const v of file.vectors) {
      const proof = hex(v.proof);
      expect(verifyProof(22, new Uint8Array(32), new Uint8Array(32), proof).valid).toBe(false);
      const fields = { version: 1, plotIndex: Number(v.plot_index), metaGroup: Number(v.meta_group), strength: Number(v.strength), proof };
      expect(verifyProofV2(fields, { prevTransactionBlockHeight: 1, constants: devnet })).toEqual({
        valid: false,
        reason: 'v2 proof verification not implemented',
      });
    }
  });
});
