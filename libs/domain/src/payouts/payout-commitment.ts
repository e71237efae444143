import { createHash } from 'node:crypto';
import type { PayoutAllocation, SignedPayoutTransaction } from './payout.events';

/**
 * What a payout's transactions commit to on chain, as a memo of one coin of each (docs/payout-commitments.md): the
 * seal recorded through the payout's own plan (so the plan and every event before it are fixed by a hash the
 * operator cannot change afterwards) and the Merkle root of the plan's allocations (so each farmer can prove its
 * line with a few hashes, without the other farmers' lines).
 */
export interface PayoutCommitment {
  /** The seal whose covered position is this payout's PayoutPlanned (reason 'payout'). */
  sealSequence: number;
  sealHash: string;
  /** allocationsRoot(plan.allocations). */
  allocationsRoot: string;
  /** The memo's text, exactly as it is on chain (UTF-8): payoutCommitmentMemo of the fields above. */
  memo: string;
}

/** One step up from a leaf: the sibling's hash and the side it stands on. */
export interface MerkleStep {
  side: 'left' | 'right';
  hash: string;
}

/** Names the memo's format; a later format gets a new prefix, and verifiers say which one they read. */
export const PAYOUT_MEMO_PREFIX = 'chia-pool-ledger/1';

const LEAF_TAG = Buffer.from([0]);
const NODE_TAG = Buffer.from([1]);
const HEX32 = /^[0-9a-f]{64}$/;
const U64_LIMIT = 1n << 64n;

const bytes32 = (hex: string, label: string): Buffer => {
  const clean = hex.toLowerCase().replace(/^0x/, '');
  if (!HEX32.test(clean)) throw new RangeError(`${label} is not 32 bytes of hex: ${hex}`);
  return Buffer.from(clean, 'hex');
};

const sha256 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/**
 * The leaf of one allocation: SHA-256(0x00 ‖ launcher id ‖ puzzle hash ‖ amount as 8 bytes big-endian). The tag
 * byte keeps a leaf from ever being read as an inner node (and the other way round); the launcher id tells apart two
 * farmers paid the same amount at one shared address.
 */
export function allocationLeaf(allocation: Pick<PayoutAllocation, 'launcherId' | 'puzzleHash' | 'amount'>): string {
  const amount = BigInt(allocation.amount);
  if (amount < 0n || amount >= U64_LIMIT) throw new RangeError(`allocation amount ${allocation.amount} is not a uint64`);
  const amountBytes = Buffer.alloc(8);
  amountBytes.writeBigUInt64BE(amount);
  return sha256(LEAF_TAG, bytes32(allocation.launcherId, 'launcher id'), bytes32(allocation.puzzleHash, 'puzzle hash'), amountBytes).toString('hex');
}

const parent = (left: Buffer, right: Buffer): Buffer => sha256(NODE_TAG, left, right);

/** Each level of the tree from the leaves up: pairs hash together, and a last node without a pair is carried up as it is. */
function levels(allocations: readonly Pick<PayoutAllocation, 'launcherId' | 'puzzleHash' | 'amount'>[]): Buffer[][] {
  if (allocations.length === 0) throw new RangeError('a payout without allocations has no allocations root');
  const all = [allocations.map((a) => Buffer.from(allocationLeaf(a), 'hex'))];
  for (let level = all[0]!; level.length > 1; ) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? parent(level[i]!, level[i + 1]!) : level[i]!);
    all.push(next);
    level = next;
  }
  return all;
}

/** The Merkle root of a plan's allocations, in plan order (hex). */
export function allocationsRoot(allocations: readonly Pick<PayoutAllocation, 'launcherId' | 'puzzleHash' | 'amount'>[]): string {
  const tree = levels(allocations);
  return tree[tree.length - 1]![0]!.toString('hex');
}

/** The steps from allocation `index` up to the root: what a farmer needs, besides its own line, to reach the root. */
export function allocationProof(allocations: readonly Pick<PayoutAllocation, 'launcherId' | 'puzzleHash' | 'amount'>[], index: number): MerkleStep[] {
  if (!Number.isInteger(index) || index < 0 || index >= allocations.length) throw new RangeError(`no allocation ${index} in a plan of ${allocations.length}`);
  const steps: MerkleStep[] = [];
  let at = index;
  for (const level of levels(allocations).slice(0, -1)) {
    const sibling = at % 2 === 0 ? at + 1 : at - 1;
    // A last node without a pair is carried up: no step at this level.
    if (sibling < level.length) steps.push({ side: at % 2 === 0 ? 'right' : 'left', hash: level[sibling]!.toString('hex') });
    at = Math.floor(at / 2);
  }
  return steps;
}

/** The root a leaf and its steps lead to (compare it with the root the memo names). */
export function rootFromProof(leaf: string, steps: readonly MerkleStep[]): string {
  let node = bytes32(leaf, 'leaf');
  for (const step of steps) {
    const sibling = bytes32(step.hash, 'proof hash');
    if (step.side !== 'left' && step.side !== 'right') throw new RangeError(`proof step side ${String(step.side)} is neither left nor right`);
    node = step.side === 'left' ? parent(sibling, node) : parent(node, sibling);
  }
  return node.toString('hex');
}

/**
 * The memo's text: `chia-pool-ledger/1 payout=<payoutId> seal=<sequence> seal_hash=<hex> allocations_root=<hex>`.
 * Longer than 32 bytes on purpose: a node reads a first memo of 32 bytes as a hint, and this is none.
 */
export function payoutCommitmentMemo(payoutId: string, commitment: Pick<PayoutCommitment, 'sealSequence' | 'sealHash' | 'allocationsRoot'>): string {
  if (!/^[\w-]+$/.test(payoutId)) throw new RangeError(`payout id ${payoutId} cannot be written in a memo`);
  if (!Number.isSafeInteger(commitment.sealSequence) || commitment.sealSequence < 1) throw new RangeError(`seal sequence ${commitment.sealSequence} is not a positive integer`);
  const sealHash = bytes32(commitment.sealHash, 'seal hash').toString('hex');
  const root = bytes32(commitment.allocationsRoot, 'allocations root').toString('hex');
  return `${PAYOUT_MEMO_PREFIX} payout=${payoutId} seal=${commitment.sealSequence} seal_hash=${sealHash} allocations_root=${root}`;
}

/** A payout's commitment, from its seal and its plan's allocations. */
export function payoutCommitment(
  plan: { payoutId: string; allocations: readonly Pick<PayoutAllocation, 'launcherId' | 'puzzleHash' | 'amount'>[] },
  seal: { sequence: number; hash: string },
): PayoutCommitment {
  const fields = { sealSequence: seal.sequence, sealHash: seal.hash, allocationsRoot: allocationsRoot(plan.allocations) };
  return { ...fields, memo: payoutCommitmentMemo(plan.payoutId, fields) };
}

const MEMO_PATTERN = new RegExp(`^${PAYOUT_MEMO_PREFIX.replace('/', '\\/')} payout=([\\w-]+) seal=([1-9]\\d*) seal_hash=([0-9a-f]{64}) allocations_root=([0-9a-f]{64})$`);

/** Reads a memo back (its UTF-8 text), or null when it is not a payout commitment of this format. */
export function parsePayoutCommitmentMemo(text: string): (Omit<PayoutCommitment, 'memo'> & { payoutId: string }) | null {
  const match = MEMO_PATTERN.exec(text);
  if (match === null) return null;
  return { payoutId: match[1]!, sealSequence: Number(match[2]), sealHash: match[3]!, allocationsRoot: match[4]! };
}

/** The memo as a CREATE_COIN carries it: the hex of its UTF-8 bytes (how the ledger records created coins' memos). */
export const memoHex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

/**
 * Whether what PayoutSigned recorded as the commitment is the one its plan implies (its root, its memo's text); which
 * seal it names is checked by the audit, which holds the seals. Returns the first problem, or null.
 */
export function commitmentProblem(plan: { payoutId: string; allocations: readonly PayoutAllocation[] }, commitment: PayoutCommitment): string | null {
  try {
    const root = allocationsRoot(plan.allocations);
    if (commitment.allocationsRoot !== root) return `commits to allocations root ${commitment.allocationsRoot}, the plan's is ${root}`;
    const memo = payoutCommitmentMemo(plan.payoutId, commitment);
    if (commitment.memo !== memo) return `records the memo "${commitment.memo}", its fields say "${memo}"`;
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** One signed version of the transaction that pays a farmer: the coin paying it and the coin carrying the memo. */
export interface CommittedPaymentVersion {
  transactionId: string;
  paymentCoinId: string;
  memoCoinId: string;
}

/** What a farmer needs to check its line of a payout against the chain and an export (GET .../payouts/{id}/proof). */
export interface AllocationInclusion {
  payoutId: string;
  allocation: PayoutAllocation & { index: number };
  allocationCount: number;
  leaf: string;
  proof: MerkleStep[];
  commitment: PayoutCommitment;
  /** The planned transaction that pays the farmer's puzzle hash, and the payment (farmers sharing an address share it). */
  payment: { transactionIndex: number; puzzleHash: string; amount: string };
  /** Every signed version of that transaction (a fee bump adds one; at most one of them lands). */
  versions: CommittedPaymentVersion[];
}

/**
 * The inclusion proof of one farmer's allocation, from its payout's plan and recorded signings (PayoutSigned and every
 * PayoutFeeBumped, oldest first). Null when the plan allocates the farmer nothing; an Error names why there is no
 * proof yet (not signed yet, or signed before commitments).
 */
export function allocationInclusion(
  plan: { payoutId: string; allocations: readonly PayoutAllocation[]; transactions: readonly { payments: readonly { puzzleHash: string; amount: string }[] }[] },
  signings: readonly { transactions: readonly SignedPayoutTransaction[]; commitment?: PayoutCommitment }[],
  launcherId: string,
): AllocationInclusion | null | Error {
  const index = plan.allocations.findIndex((a) => a.launcherId === launcherId);
  if (index < 0) return null;
  const allocation = plan.allocations[index]!;
  const commitment = signings[0]?.commitment;
  if (signings.length === 0) return new Error(`payout ${plan.payoutId} is not signed yet: its commitment is made when it is`);
  if (commitment === undefined) return new Error(`payout ${plan.payoutId} was signed before payouts committed to the ledger on chain`);
  const transactionIndex = plan.transactions.findIndex((tx) => tx.payments.some((p) => p.puzzleHash === allocation.puzzleHash));
  const payment = plan.transactions[transactionIndex]?.payments.find((p) => p.puzzleHash === allocation.puzzleHash);
  if (payment === undefined) return new Error(`payout ${plan.payoutId} has no transaction paying ${allocation.puzzleHash}`);
  const memo = memoHex(commitment.memo);
  const versions = signings
    .flatMap((s) => s.transactions)
    .filter((tx) => tx.index === transactionIndex)
    .map((tx) => ({
      transactionId: tx.transactionId,
      paymentCoinId: tx.createdCoins.find((c) => c.puzzleHash === payment.puzzleHash && c.amount === payment.amount)?.coinId ?? '',
      memoCoinId: tx.createdCoins.find((c) => c.memos?.includes(memo) === true)?.coinId ?? '',
    }));
  return {
    payoutId: plan.payoutId,
    allocation: { ...allocation, index },
    allocationCount: plan.allocations.length,
    leaf: allocationLeaf(allocation),
    proof: allocationProof(plan.allocations, index),
    commitment,
    payment: { transactionIndex, puzzleHash: payment.puzzleHash, amount: payment.amount },
    versions,
  };
}

/**
 * What a farmer checks of an inclusion proof before it looks at the chain: its own line hashes to the leaf, the leaf
 * and the steps lead to the root the commitment names, and the memo says what the fields say. Returns the problems.
 */
export function inclusionProblems(inclusion: Pick<AllocationInclusion, 'payoutId' | 'allocation' | 'leaf' | 'proof' | 'commitment'>): string[] {
  const problems: string[] = [];
  try {
    const leaf = allocationLeaf(inclusion.allocation);
    if (leaf !== inclusion.leaf) problems.push(`the allocation hashes to leaf ${leaf}, the proof says ${inclusion.leaf}`);
    const root = rootFromProof(leaf, inclusion.proof);
    if (root !== inclusion.commitment.allocationsRoot) problems.push(`the proof leads to root ${root}, the commitment names ${inclusion.commitment.allocationsRoot}`);
    const memo = payoutCommitmentMemo(inclusion.payoutId, inclusion.commitment);
    if (memo !== inclusion.commitment.memo) problems.push(`the memo "${inclusion.commitment.memo}" does not say what its fields say ("${memo}")`);
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}
