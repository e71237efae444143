import { type Hex } from '../chain/chain-types';
import { toHex } from '../puzzles/bytes-hex';
import { readHexField, readJsonObject } from '../puzzles/request-fields';
import { deserializeProgram } from '../puzzles/embedded-program';
import { plotNftV2Puzzles } from './plot-nft-v2-puzzle';
import { type PlotNftV2Identity, type PlotNftV2State, type PlotNftV2StateName } from './plot-nft-v2-types';

export type PlotNftV2PuzzleHashLineResult = { puzzle_hash: Hex; inner_puzzle_hash: Hex } | { error: string };

const STATES: readonly PlotNftV2StateName[] = ['self_pooling', 'pooling', 'exiting'];
const UINT32_MAX = 0xffffffff;
/** pool2-reference's default: no memos after the amount of the pool's CREATE_COIN. */
const NIL_MEMOIZATION = '80';

function readLockHeight(value: unknown): number {
  const height = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (height === undefined || height < 0n || height > BigInt(UINT32_MAX)) {
    throw new Error('"relative_lock_height" must be a whole number of blocks from 0 to 2^32-1');
  }
  return Number(height);
}

function readMemoization(value: unknown): Hex {
  if (value === undefined) return NIL_MEMOIZATION;
  if (typeof value !== 'string') throw new Error('"pool_memoization" must be serialized CLVM as hex');
  try {
    return deserializeProgram(value, 'pool_memoization').serializeHex();
  } catch {
    throw new Error('"pool_memoization" must be serialized CLVM as hex ("80" for nil)');
  }
}

function computeHashes(input: unknown): { puzzle_hash: Hex; inner_puzzle_hash: Hex } {
  const fields = readJsonObject(input);
  const stateName = fields.state;
  if (typeof stateName !== 'string' || !(STATES as readonly string[]).includes(stateName)) {
    throw new Error(`"state" must be one of ${STATES.join(', ')}`);
  }
  const launcherId = readHexField(fields, 'launcher_id', 32);
  const ownerPublicKey = readHexField(fields, 'owner_public_key', 48);
  // Self-pooling hashes depend on neither the pool nor the network, so those fields are not read then.
  const selfPooling = stateName === 'self_pooling';
  const id: PlotNftV2Identity = { launcherId, genesisChallenge: selfPooling ? '00'.repeat(32) : readHexField(fields, 'genesis_challenge', 32) };
  const state: PlotNftV2State = selfPooling
    ? { ownerPublicKey, pool: null, exiting: false }
    : {
        ownerPublicKey,
        pool: {
          poolClaimHash: readHexField(fields, 'pool_claim_hash', 32),
          relativeLockHeight: readLockHeight(fields.relative_lock_height),
          poolMemoization: readMemoization(fields.pool_memoization),
        },
        exiting: stateName === 'exiting',
      };
  const puzzles = plotNftV2Puzzles(id, state);
  return { puzzle_hash: toHex(puzzles.full.hash), inner_puzzle_hash: toHex(puzzles.inner.hash) };
}

/**
 * One request of `poolctl chia plotnft-v2-puzzle-hash`: `{launcher_id, owner_public_key, state, and with a pool
 * pool_claim_hash, relative_lock_height, pool_memoization (default "80"), genesis_challenge}` (object or its JSON
 * text), answered with the Plot NFT's full and inner puzzle hashes. Never throws: bad input becomes `{error}`.
 */
export function handlePlotNftV2PuzzleHashLine(input: unknown): PlotNftV2PuzzleHashLineResult {
  try {
    return computeHashes(input);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
