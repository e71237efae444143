import { type BlsBackend, G2_INFINITY_HEX, PoolSingletonState, loadBls } from '@pool/chia';
import { DevnetChain } from './devnet-chain';
import { PlotNftSimulator } from './plot-nft';
import { blsSignatureVerifier } from './signature-checks';

describe('signature checks on a verifying chain', () => {
  let bls: BlsBackend;
  beforeAll(async () => {
    bls = await loadBls(undefined, { log: () => undefined });
  });

  function launch(withKey: boolean) {
    const chain = new DevnetChain({ seed: 'sig-spec', networkBlockEverySignagePoints: 0, verifySignatures: blsSignatureVerifier(bls) });
    const ownerSk = bls.keyGen(new Uint8Array(32).fill(7));
    const nfts = new PlotNftSimulator(chain, withKey ? { bls, ownerSecretKeys: [ownerSk] } : {});
    const launched = nfts.launchPlotNft({
      ownerPk: Buffer.from(bls.skToPk(ownerSk)).toString('hex'),
      poolUrl: 'https://pool.example',
      targetPuzzleHash: '11'.repeat(32),
      relativeLockHeight: 2,
      delayTime: 100,
      delayPuzzleHash: '22'.repeat(32),
      state: 'FARMING_TO_POOL',
    });
    chain.farmBlock();
    return { chain, nfts, launched };
  }

  it('needs no signature for the launch and requires the owner signature on a travel', () => {
    const { chain, nfts, launched } = launch(false);
    expect(nfts.view(launched.launcherId).poolState.state).toBe(PoolSingletonState.FARMING_TO_POOL);
    expect(() => nfts.leavePool(launched.launcherId)).toThrow(/BAD_AGGREGATE_SIGNATURE/);
    expect(chain.mempoolNames()).toEqual([]);
  });

  it('accepts a travel signed with the owner key', () => {
    const { chain, nfts, launched } = launch(true);
    const bundle = nfts.leavePool(launched.launcherId);
    expect(bundle.aggregatedSignature).not.toBe(G2_INFINITY_HEX);
    expect(chain.requiredSignatures({ ...bundle, aggregatedSignature: G2_INFINITY_HEX })).toHaveLength(1);
    chain.farmBlock();
    expect(nfts.view(launched.launcherId).poolState.state).toBe(PoolSingletonState.LEAVING_POOL);
  });
});
