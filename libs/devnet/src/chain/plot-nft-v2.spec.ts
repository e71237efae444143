import {
  chiaKeyGen,
  loadBls,
  parseSingletonV11Puzzle,
  plotNftV2PuzzleHash,
  rewardPuzzleHash,
  SINGLETON_TOP_LAYER_V1_1,
  type BlsBackend,
  type PlotNftV2Pool,
} from '@pool/chia';
import { DevnetChain } from './devnet-chain';
import { PlotNftV2Simulator } from './plot-nft-v2';
import { blsSignatureVerifier } from './signature-checks';

const POOL: PlotNftV2Pool = { poolClaimHash: '11'.repeat(32), relativeLockHeight: 5, poolMemoization: '80' };
const OTHER_POOL: PlotNftV2Pool = { poolClaimHash: '22'.repeat(32), relativeLockHeight: 5, poolMemoization: '80' };

describe('PlotNftV2Simulator (devnet v2 plot NFTs on singleton v1.1)', () => {
  let bls: BlsBackend;
  let ownerSk: Uint8Array;
  let ownerPk: string;

  beforeAll(async () => {
    bls = await loadBls();
    ownerSk = chiaKeyGen(new Uint8Array(32).fill(7));
    ownerPk = Buffer.from(bls.skToPk(ownerSk)).toString('hex');
  });

  function setup(signed = true) {
    const chain = new DevnetChain({ seed: 'plot-nft-v2-spec', networkBlockEverySignagePoints: 0, verifySignatures: blsSignatureVerifier(bls) });
    const nfts = new PlotNftV2Simulator(chain, signed ? { bls, ownerSecretKeys: [ownerSk] } : {});
    const launched = nfts.launch({ ownerPublicKey: ownerPk, pool: POOL });
    chain.farmBlock();
    return { chain, nfts, launched };
  }

  it('launches a singleton v1.1 at the puzzle hash the pool computes from key and pool, paying rewards to RewardPuzzle', async () => {
    const { chain, launched } = setup();
    const expected = plotNftV2PuzzleHash(launched.launcherId, { ownerPublicKey: ownerPk, pool: POOL, exiting: false });
    const [record] = await chain.getCoinRecordsByPuzzleHash(expected, { includeSpentCoins: false });
    expect(record?.coin.parentCoinInfo).toBe(launched.launcherId);
    expect(launched.rewardPuzzleHash).toBe(rewardPuzzleHash(launched.launcherId));
    // Another pool, another key, or the exiting flag give other puzzle hashes: the pool cannot be fooled by them.
    expect(plotNftV2PuzzleHash(launched.launcherId, { ownerPublicKey: ownerPk, pool: OTHER_POOL, exiting: false })).not.toBe(expected);
    expect(plotNftV2PuzzleHash(launched.launcherId, { ownerPublicKey: ownerPk, pool: POOL, exiting: true })).not.toBe(expected);
  });

  it('leaves with an owner-signed spend whose reveal is a singleton v1.1 of the launcher', async () => {
    const { chain, nfts, launched } = setup();
    nfts.leavePool(launched.launcherId);
    chain.farmBlock();
    const view = nfts.view(launched.launcherId);
    expect(view.state).toMatchObject({ exiting: true, pool: POOL });
    const parent = await chain.getCoinRecordByName(view.currentCoin.parentCoinInfo);
    const spend = await chain.getPuzzleAndSolution(view.currentCoin.parentCoinInfo, parent!.spentBlockIndex);
    expect(parseSingletonV11Puzzle(spend.puzzleReveal)).toMatchObject({ launcherId: launched.launcherId });
    expect(parseSingletonV11Puzzle(SINGLETON_TOP_LAYER_V1_1.hex)).toBeNull();
  });

  it('refuses an unsigned travel on a verifying chain', () => {
    const { nfts, launched } = setup(false);
    expect(() => nfts.leavePool(launched.launcherId)).toThrow(/aggregated signature/);
  });

  it('holds an exiting plot NFT until the relative lock height has passed', () => {
    const { chain, nfts, launched } = setup();
    nfts.leavePool(launched.launcherId);
    chain.farmBlock();
    expect(() => nfts.switchPool(launched.launcherId, OTHER_POOL)).toThrow(/locked until height/);
    chain.farmBlocks(POOL.relativeLockHeight);
    nfts.switchPool(launched.launcherId, OTHER_POOL);
    chain.farmBlock();
    expect(nfts.view(launched.launcherId).state).toMatchObject({ exiting: false, pool: OTHER_POOL });
  });
});
