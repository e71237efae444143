import { Program } from 'clvm-lib';
import { parseBytes32, parseHex, toHex } from '../puzzles/bytes-hex';
import { bytesAtom, deserializeProgram, intAtom, listProgram } from '../puzzles/embedded-program';
import { type PlotNftV2Identity, type PlotNftV2Pool, type PlotNftV2State } from './plot-nft-v2-types';
import { SEND_MESSAGE_BANNED_NODE, heightlockNode, plotNftV2Puzzles, validatorStackNode } from './plot-nft-v2-puzzle';

/*
 * The CHIP-0043 custody memo (chia-blockchain `PuzzleWithRestrictions.memo()`), written after the hint of a
 * CREATE_COIN that moves the Plot NFT to a state nobody else could guess (launch, join a pool, leave the
 * waiting room). It is what lets a reader rebuild the new inner puzzle:
 *
 *   ("CHIP-0043" nonce (restriction_hint…) mofn_flag puzzle_hint . additional_memos?)
 *   restriction_hint = (member_not_dpuz puzzle_hash memo); puzzle_hint = (puzzle_hash memo) for a member,
 *   (m (member_memo…)) for an MofN. The Plot NFT adds (owner_key) while self-pooling and
 *   (owner_key pool_claim_hash relative_lock_height pool_memoization) with a pool.
 */

const SPEC_NAMESPACE = 'CHIP-0043';
const NIL = Program.nil;

function custodyMemo(restrictionHints: readonly Program[], mofn: boolean, puzzleHint: Program, additional: Program | null): Program {
  const items = [Program.fromText(SPEC_NAMESPACE), NIL, listProgram(restrictionHints), mofn ? intAtom(1) : NIL, puzzleHint];
  return listProgram(additional === null ? items : [...items, additional]);
}

/** A member hint: its puzzle hash and its memo (nil for every member the Plot NFT uses). */
function memberHint(hash: Uint8Array): Program {
  return listProgram([bytesAtom(hash), NIL]);
}

/** The memo of the Plot NFT of `id` in `state` (the state's restriction hashes depend on the launcher and network). */
export function plotNftV2Memo(id: PlotNftV2Identity, state: PlotNftV2State): Program {
  const puzzles = plotNftV2Puzzles(id, state);
  const owner = bytesAtom(parseHex(state.ownerPublicKey, 'owner public key', 48));
  const custody = puzzles.custody;
  const pool = state.pool;
  if (custody === null || pool === null) return custodyMemo([], false, memberHint(puzzles.blsMember.hash), listProgram([owner]));
  // The validator stack is a dpuz validator (member_not_dpuz false); its memo lists one nil memo per wrapper.
  const restrictionHint = listProgram([NIL, bytesAtom(custody.validatorStack.hash), listProgram([NIL, NIL])]);
  const userMemo = custodyMemo([restrictionHint], false, memberHint(puzzles.blsMember.hash), null);
  const poolMemo = custodyMemo([], false, memberHint(custody.fixedMember.hash), null);
  const additional = listProgram([
    owner,
    bytesAtom(parseBytes32(pool.poolClaimHash, 'pool_claim_hash')),
    intAtom(pool.relativeLockHeight),
    deserializeProgram(pool.poolMemoization, 'pool_memoization'),
  ]);
  return custodyMemo([], true, listProgram([intAtom(1), listProgram([userMemo, poolMemo])]), additional);
}

/** What a CHIP-0043 memo says, as far as a Plot NFT needs it. */
interface CustodyMemo {
  mofn: boolean;
  /** Puzzle hashes of every restriction in the tree (the top level's and its members'). */
  restrictionHashes: Set<string>;
  additional: Program | null;
}

function items(program: Program, label: string): Program[] {
  try {
    return program.toList(true);
  } catch {
    throw new Error(`${label} is not a list`);
  }
}

function atomOf(program: Program, label: string, length?: number): Uint8Array {
  if (!program.isAtom || (length !== undefined && program.atom.length !== length)) {
    throw new Error(`${label} must be ${length === undefined ? 'an atom' : `${length} bytes`}`);
  }
  return program.atom;
}

function readCustodyMemo(memo: Program): CustodyMemo {
  // A memo may end after the puzzle hint (no additional memos): read it as a list of 5 or 6.
  const fields = items(memo, 'memo');
  if (fields.length < 5 || fields.length > 6) throw new Error('memo must have 5 or 6 fields');
  const [namespace, , restrictionHints, mofnFlag, puzzleHint, additional] = fields as [Program, Program, Program, Program, Program, Program?];
  if (!namespace.isAtom || namespace.toText() !== SPEC_NAMESPACE) throw new Error(`memo is not a ${SPEC_NAMESPACE} memo`);
  const restrictionHashes = new Set<string>();
  for (const hint of items(restrictionHints, 'restriction hints')) {
    const [, hash] = items(hint, 'restriction hint');
    if (hash === undefined) throw new Error('restriction hint has no puzzle hash');
    restrictionHashes.add(toHex(atomOf(hash, 'restriction puzzle hash', 32)));
  }
  const mofn = !mofnFlag.isNull;
  if (mofn) {
    const [, memberMemos] = items(puzzleHint, 'MofN hint');
    if (memberMemos === undefined) throw new Error('MofN hint has no member memos');
    for (const member of items(memberMemos, 'member memos')) {
      for (const hash of readCustodyMemo(member).restrictionHashes) restrictionHashes.add(hash);
    }
  }
  return { mofn, restrictionHashes, additional: additional ?? null };
}

function relativeLockHeightOf(program: Program): number {
  const height = program.isAtom ? program.toBigInt() : -1n;
  if (height < 0n || height > 0xffffffffn) throw new Error('relative_lock_height in the memo must be a uint32');
  return Number(height);
}

/**
 * The state a CHIP-0043 memo describes, read as chia-blockchain's `get_next_from_coin_spend` does: with an
 * MofN it is pooling, and exiting when the exiting validator stack (heightlock, send_message_banned) is one of
 * its restrictions. Throws when the memo is not a Plot NFT memo. The caller must still check that the state
 * rebuilds the puzzle hash the coin was created with: a memo is only a claim.
 */
export function plotNftV2StateFromMemo(memo: Program): PlotNftV2State {
  const custody = readCustodyMemo(memo);
  if (custody.additional === null) throw new Error('memo has no Plot NFT fields (additional memos)');
  const extra = items(custody.additional, 'additional memos');
  const ownerPublicKey = toHex(atomOf(extra[0] ?? NIL, 'owner public key', 48));
  if (!custody.mofn) return { ownerPublicKey, pool: null, exiting: false };
  if (extra.length < 4) throw new Error('a pooling memo needs owner key, pool_claim_hash, relative_lock_height and pool_memoization');
  const pool: PlotNftV2Pool = {
    poolClaimHash: toHex(atomOf(extra[1]!, 'pool_claim_hash', 32)),
    relativeLockHeight: relativeLockHeightOf(extra[2]!),
    poolMemoization: extra[3]!.serializeHex(),
  };
  const exitingStack = toHex(validatorStackNode([heightlockNode(pool.relativeLockHeight), SEND_MESSAGE_BANNED_NODE]).hash);
  return { ownerPublicKey, pool, exiting: custody.restrictionHashes.has(exitingStack) };
}
