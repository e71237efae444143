import { plotNftV2InnerPuzzle, plotNftV2Puzzle } from './plot-nft-v2-puzzle';
import { handlePlotNftV2PuzzleHashLine } from './plot-nft-v2-puzzle-hash-cli';
import { type PlotNftV2State } from './plot-nft-v2-types';

const OWNER = '97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb';
const GENESIS = 'ccd5bb71183532bff220ba46c268991a3ff07eb358e8255a65c30a2dce0e5fbb';
const LAUNCHER = 'ae'.repeat(32);
const CLAIM = '5c'.repeat(32);
const LINE = { launcher_id: LAUNCHER, owner_public_key: OWNER, pool_claim_hash: CLAIM, relative_lock_height: 32, pool_memoization: '80', genesis_challenge: GENESIS };
const ID = { launcherId: LAUNCHER, genesisChallenge: GENESIS };

/** The answer the built programs (hashed by clvm-lib) give. */
function built(state: PlotNftV2State) {
  return { puzzle_hash: plotNftV2Puzzle(ID, state).hashHex(), inner_puzzle_hash: plotNftV2InnerPuzzle(ID, state).hashHex() };
}

describe('handlePlotNftV2PuzzleHashLine', () => {
  const pool = { poolClaimHash: CLAIM, relativeLockHeight: 32, poolMemoization: '80' };

  it('answers each state with the full and inner puzzle hashes (object or JSON text, 0x optional)', () => {
    expect(handlePlotNftV2PuzzleHashLine({ ...LINE, state: 'pooling' })).toEqual(built({ ownerPublicKey: OWNER, pool, exiting: false }));
    expect(handlePlotNftV2PuzzleHashLine(JSON.stringify({ ...LINE, launcher_id: `0x${LAUNCHER}`, state: 'exiting' }))).toEqual(built({ ownerPublicKey: OWNER, pool, exiting: true }));
    expect(handlePlotNftV2PuzzleHashLine({ ...LINE, relative_lock_height: 32n, state: 'pooling' })).toEqual(built({ ownerPublicKey: OWNER, pool, exiting: false }));
  });

  it('ignores the pool and network fields when self-pooling, and defaults the memoization to nil', () => {
    const self = built({ ownerPublicKey: OWNER, pool: null, exiting: false });
    expect(handlePlotNftV2PuzzleHashLine({ launcher_id: LAUNCHER, owner_public_key: OWNER, state: 'self_pooling' })).toEqual(self);
    expect(handlePlotNftV2PuzzleHashLine({ ...LINE, pool_claim_hash: 'zz', state: 'self_pooling' })).toEqual(self);
    const { pool_memoization: _omitted, ...withoutMemoization } = LINE;
    expect(handlePlotNftV2PuzzleHashLine({ ...withoutMemoization, state: 'pooling' })).toEqual(handlePlotNftV2PuzzleHashLine({ ...LINE, state: 'pooling' }));
  });

  it.each<[string, unknown, RegExp]>([
    ['text that is not JSON', 'not json', /not valid JSON/],
    ['an array', '[1]', /JSON object/],
    ['null', null, /JSON object/],
    ['no state', { ...LINE }, /"state" must be one of/],
    ['an unknown state', { ...LINE, state: 'farming' }, /"state" must be one of/],
    ['no launcher id', { ...LINE, launcher_id: undefined, state: 'pooling' }, /missing "launcher_id"/],
    ['a 47-byte owner key', { ...LINE, owner_public_key: OWNER.slice(2), state: 'self_pooling' }, /"owner_public_key" must be 48 bytes/],
    ['a genesis challenge that is a number', { ...LINE, genesis_challenge: 7, state: 'pooling' }, /"genesis_challenge" must be a hex string/],
    ['a 1-byte claim hash', { ...LINE, pool_claim_hash: 'ab', state: 'exiting' }, /"pool_claim_hash" must be 32 bytes/],
    ['a negative lock height', { ...LINE, relative_lock_height: -1, state: 'pooling' }, /"relative_lock_height"/],
    ['a lock height past uint32', { ...LINE, relative_lock_height: 2 ** 32, state: 'pooling' }, /"relative_lock_height"/],
    ['a lock height as text', { ...LINE, relative_lock_height: '32', state: 'pooling' }, /"relative_lock_height"/],
    ['a memoization that is not CLVM', { ...LINE, pool_memoization: 'ff01', state: 'pooling' }, /"pool_memoization" must be serialized CLVM/],
  ])('%s -> error', (_what, input, message) => {
    expect(handlePlotNftV2PuzzleHashLine(input)).toEqual({ error: expect.stringMatching(message) });
  });
});
