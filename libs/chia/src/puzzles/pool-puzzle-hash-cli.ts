import { readHexField, readJsonObject } from './request-fields';
import { p2SingletonOrDelayedPuzzleHash } from './p2-singleton-puzzle';
import { rewardPuzzleHash } from './reward-puzzle';

export type PoolPuzzleHashLineResult = { puzzle_hash: string } | { error: string };

const UINT64_MAX = (1n << 64n) - 1n;

function readDelayTime(value: unknown): bigint {
  let delay: bigint | undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) delay = BigInt(value);
  else if (typeof value === 'bigint') delay = value;
  else if (typeof value === 'string' && /^\d+$/.test(value)) delay = BigInt(value);
  if (delay === undefined || delay < 0n || delay > UINT64_MAX) {
    throw new Error('"delay_time" must be a whole number of seconds from 0 to 2^64-1');
  }
  return delay;
}

function computePoolPuzzleHash(input: unknown): string {
  const fields = readJsonObject(input);
  const version = fields.version ?? 1;
  if (version !== 1 && version !== 2) throw new Error('"version" must be 1 or 2');
  const launcherId = readHexField(fields, 'launcher_id', 32);
  if (version === 2) return rewardPuzzleHash(launcherId);
  if (fields.delay_time === undefined) throw new Error('missing "delay_time" (v1 needs delay_time and delay_puzzle_hash)');
  const delayTime = readDelayTime(fields.delay_time);
  return p2SingletonOrDelayedPuzzleHash(launcherId, delayTime, readHexField(fields, 'delay_puzzle_hash', 32));
}

/**
 * One request of `poolctl chia pool-puzzle-hash`: a JSON object (or its text)
 * `{"launcher_id", "delay_time", "delay_puzzle_hash"}` for a v1 plot NFT, or `{"launcher_id", "version": 2}`,
 * answered with the plot's pool_contract_puzzle_hash as lowercase hex without `0x`. Never throws: bad input
 * becomes `{"error": "..."}`.
 */
export function handlePoolPuzzleHashLine(input: unknown): PoolPuzzleHashLineResult {
  try {
    return { puzzle_hash: computePoolPuzzleHash(input) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
