import { type Program } from 'clvm-lib';
import { type Coin, type CoinSpend } from '../chain/chain-types';
import { normalizeHex, toHex } from '../puzzles/bytes-hex';
import { coinId } from '../puzzles/coin-id';
import { programTreeHash } from '../puzzles/curry-tree-hash';
import { deserializeProgram } from '../puzzles/embedded-program';
import { runProgram } from '../puzzles/clvm-run';
import { plotNftV2StateFromMemo } from './plot-nft-v2-memo';
import { plotNftV2Puzzles } from './plot-nft-v2-puzzle';
import { type PlotNftV2Identity, type PlotNftV2State, type SingletonLineageProof } from './plot-nft-v2-types';
import { CREATE_COIN } from './spend-parts';
import { uncurrySingletonV11 } from './singleton-v11';

/** The singleton's child: the Plot NFT's next coin, its state, and the lineage proof for spending it. */
export interface PlotNftV2Moved {
  next: PlotNftV2State;
  childCoin: Coin;
  lineageProof: SingletonLineageProof;
}

/** The singleton melted (its odd CREATE_COIN has amount -113): the Plot NFT has left the chain. */
export interface PlotNftV2Melted {
  melted: true;
}

export type PlotNftV2SpendReading = PlotNftV2Moved | PlotNftV2Melted | { error: string };

/** Guard for `PlotNftV2SpendReading`. */
export function isPlotNftV2Moved(reading: PlotNftV2SpendReading): reading is PlotNftV2Moved {
  return 'next' in reading;
}

const MELT_AMOUNT = -113n;
/** Far above any Plot NFT spend (a whole forward costs under 1M): a guard against runaway reveals. */
const MAX_INNER_COST = 110_000_000n;

function list(program: Program, label: string): Program[] {
  try {
    return program.toList(true);
  } catch {
    throw new Error(`${label} is not a list`);
  }
}

interface OddCreateCoin {
  puzzleHash: Uint8Array;
  amount: bigint;
  /** The 4th element of the condition (the memos), or null when absent. */
  memos: Program | null;
}

/** The first `count` arguments of a condition, read by position as consensus does (any tail may follow). */
function conditionArguments(condition: Program, count: number): (Program | undefined)[] {
  const args: (Program | undefined)[] = [];
  let tail = condition.rest;
  for (let i = 0; i < count; i++) {
    args.push(tail.isCons ? tail.first : undefined);
    if (tail.isCons) tail = tail.rest;
  }
  return args;
}

/** The single odd CREATE_COIN of the inner conditions (the singleton morphs it into its child). */
function oddCreateCoin(conditions: Program): OddCreateCoin {
  const odd: OddCreateCoin[] = [];
  for (const item of list(conditions, 'the inner puzzle output')) {
    if (item.isAtom || !item.first.isAtom || item.first.toBigInt() !== BigInt(CREATE_COIN)) continue;
    const [puzzleHash, amount, memos] = conditionArguments(item, 3);
    if (puzzleHash === undefined || amount === undefined || !puzzleHash.isAtom || !amount.isAtom) throw new Error('a CREATE_COIN is malformed');
    const value = amount.toBigInt();
    if (value % 2n === 0n) continue;
    // A melt's puzzle hash is ignored by the singleton (chia-blockchain writes nil there).
    if (value !== MELT_AMOUNT && puzzleHash.atom.length !== 32) throw new Error('the odd CREATE_COIN has no 32-byte puzzle hash');
    odd.push({ puzzleHash: puzzleHash.atom, amount: value, memos: memos ?? null });
  }
  if (odd.length !== 1) throw new Error(`a Plot NFT spend creates exactly one odd coin, this one creates ${odd.length}`);
  return odd[0]!;
}

/** The states a reader can check by hash alone: `known` itself and its owner key and pool in the other states. */
function candidateStates(known: PlotNftV2State | null): PlotNftV2State[] {
  if (known === null) return [];
  const selfPooling: PlotNftV2State = { ownerPublicKey: known.ownerPublicKey, pool: null, exiting: false };
  if (known.pool === null) return [selfPooling];
  return [known, { ...known, exiting: !known.exiting }, selfPooling];
}

/**
 * The next state, classified like chia-blockchain's `get_next_from_coin_spend` but always by hash: the state
 * the reader knows, or the same owner and pool in another state (a forward, the exit, leaving the waiting room),
 * must rebuild the created inner puzzle hash; anything else (launch, joining a pool) must be described by the
 * CHIP-0043 memo after the hint, and the memo's state must rebuild it too (a memo alone is only a claim).
 */
function nextState(id: PlotNftV2Identity, known: PlotNftV2State | null, child: OddCreateCoin): PlotNftV2State {
  const childInnerHash = toHex(child.puzzleHash);
  const innerHash = (state: PlotNftV2State) => toHex(plotNftV2Puzzles(id, state).inner.hash);
  const recognised = candidateStates(known).find((state) => innerHash(state) === childInnerHash);
  if (recognised !== undefined) return recognised;
  const memos = child.memos;
  // Memos are (hint . memo): a bare (hint) is what forwards and the exit write, readable only from a known state.
  if (memos === null || memos.isAtom || memos.rest.isNull) throw new Error('the new coin is in none of the known states and carries no CHIP-0043 memo');
  let described: PlotNftV2State;
  try {
    described = plotNftV2StateFromMemo(memos.rest);
  } catch (error) {
    throw new Error(`the new coin's memo is not a Plot NFT memo (${error instanceof Error ? error.message : String(error)})`);
  }
  if (innerHash(described) !== childInnerHash) throw new Error("the memo's state does not rebuild the new coin's puzzle hash");
  return described;
}

function read(id: PlotNftV2Identity, known: PlotNftV2State | null, spend: CoinSpend): PlotNftV2Moved | PlotNftV2Melted {
  const puzzle = deserializeProgram(spend.puzzleReveal, 'puzzle reveal');
  const spentPuzzleHash = toHex(programTreeHash(puzzle));
  if (spentPuzzleHash !== normalizeHex(spend.coin.puzzleHash, 'coin puzzle_hash', 32)) {
    throw new Error("the puzzle reveal does not hash to the coin's puzzle hash");
  }
  const singleton = uncurrySingletonV11(puzzle);
  if (singleton === null) throw new Error('the coin is not a singleton v1.1');
  if (singleton.launcherId !== normalizeHex(id.launcherId, 'launcher_id', 32)) throw new Error('the singleton belongs to another launcher');
  const spentInnerHash = toHex(programTreeHash(singleton.innerPuzzle));
  // The singleton solution is (lineage_proof my_amount inner_solution); the inner puzzle runs on the third.
  const [, , innerSolution] = list(deserializeProgram(spend.solution, 'solution'), 'the singleton solution');
  if (innerSolution === undefined) throw new Error('the singleton solution has no inner solution');
  let conditions: Program;
  try {
    conditions = runProgram(singleton.innerPuzzle, innerSolution, { maxCost: MAX_INNER_COST }).value;
  } catch (error) {
    throw new Error(`the inner puzzle fails on its solution (${error instanceof Error ? error.message : String(error)})`);
  }
  const child = oddCreateCoin(conditions);
  if (child.amount === MELT_AMOUNT) return { melted: true };
  if (child.amount < 0n) throw new Error('the odd CREATE_COIN has a negative amount');
  const next = nextState(id, known, child);
  const parentId = coinId(spend.coin);
  return {
    next,
    childCoin: { parentCoinInfo: parentId, puzzleHash: toHex(plotNftV2Puzzles(id, next).full.hash), amount: child.amount },
    lineageProof: { parentParentCoinId: normalizeHex(spend.coin.parentCoinInfo, 'parent_coin_info', 32), parentInnerPuzzleHash: spentInnerHash, parentAmount: spend.coin.amount },
  };
}

/**
 * Reads a spend of the Plot NFT of `id`: its next state and coin, a melt, or why it is not a spend of this Plot
 * NFT. `known` is a state of this Plot NFT the reader knows (its own pool config with the farmer's key, or the
 * state before the spend; null when there is none, e.g. for the launch's eve spend): it lets moves whose memo
 * carries only the hint (forwards, the exit) be recognised. Runs the inner puzzle with clvm-lib plus `coinid`,
 * so it reads spends built by anyone.
 */
export function decodePlotNftV2Spend(id: PlotNftV2Identity, known: PlotNftV2State | null, spend: CoinSpend): PlotNftV2SpendReading {
  try {
    return read(id, known, spend);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
