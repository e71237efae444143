import fc from 'fast-check';
import {
  type BlockRecord,
  type JsonObject,
  JsonReader,
  JsonShapeError,
  parseChiaJson,
  readBlockRecord,
  readCoinRecord,
  readEndOfSubSlotBundle,
  stringifyChiaJson,
} from '@pool/chia';
import { readBlockchainState, readRecentSignagePointOrEos } from '@pool/chia';
import { readTransactionRecord, readWalletBalance } from '@pool/chia';
import {
  blockchainStateToJson,
  blockRecordToJson,
  coinRecordToJson,
  endOfSubSlotBundleToJson,
  recentSignagePointOrEosToJson,
} from './chain-json-writers';
import {
  sampleBareBlockRecord,
  sampleBlockchainState,
  sampleBlockRecord,
  sampleCoinRecord,
  sampleEndOfSubSlot,
  sampleTransactionRecord,
  sampleWalletBalance,
} from './sample-chain-objects';
import { transactionRecordToJson, walletBalanceToJson } from './wallet-json-writers';

/** Through the exact wire text and back with the RPC client's own readers. */
function viaWire<T>(json: JsonObject, read: (r: JsonReader) => T): T {
  return read(JsonReader.of(parseChiaJson(stringifyChiaJson(json))));
}

const hexOf = (length: number) =>
  fc.uint8Array({ minLength: length, maxLength: length }).map((b) => Buffer.from(b).toString('hex'));
const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
const uint64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const uint128 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
const uint32 = fc.integer({ min: 0, max: 0xffff_ffff });
const coin = fc.record({ parentCoinInfo: hexOf(32), puzzleHash: hexOf(32), amount: uint64 });
const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const blockRecords: fc.Arbitrary<BlockRecord> = fc.record({
  headerHash: hexOf(32),
  prevHash: hexOf(32),
  height: uint32,
  weight: uint128,
  totalIters: uint128,
  signagePointIndex: fc.integer({ min: 0, max: 63 }),
  challengeVdfOutput: fc.record({ data: bytes(100) }),
  infusedChallengeVdfOutput: orNull(fc.record({ data: bytes(100) })),
  rewardInfusionNewChallenge: hexOf(32),
  challengeBlockInfoHash: hexOf(32),
  subSlotIters: uint64,
  poolPuzzleHash: hexOf(32),
  farmerPuzzleHash: hexOf(32),
  requiredIters: uint64,
  deficit: fc.integer({ min: 0, max: 16 }),
  overflow: fc.boolean(),
  prevTransactionBlockHeight: uint32,
  timestamp: orNull(fc.integer({ min: 0, max: 2 ** 40 })),
  prevTransactionBlockHash: orNull(hexOf(32)),
  fees: orNull(uint64),
  rewardClaimsIncorporated: orNull(fc.array(coin, { maxLength: 3 })),
  finishedChallengeSlotHashes: orNull(fc.array(hexOf(32), { maxLength: 3 })),
  finishedInfusedChallengeSlotHashes: orNull(fc.array(hexOf(32), { maxLength: 3 })),
  finishedRewardSlotHashes: orNull(fc.array(hexOf(32), { maxLength: 3 })),
  subEpochSummaryIncluded: orNull(
    fc.record({
      prevSubepochSummaryHash: hexOf(32),
      rewardChainHash: hexOf(32),
      numBlocksOverflow: fc.integer({ min: 0, max: 255 }),
      newDifficulty: orNull(uint64),
      newSubSlotIters: orNull(uint64),
    }),
  ),
});

describe('full node JSON writers, read back by the RPC client', () => {
  it('round-trips any block record', () => {
    fc.assert(
      fc.property(blockRecords, (block) => expect(viaWire(blockRecordToJson(block), readBlockRecord)).toEqual(block)),
    );
  });

  it('round-trips coin records, spent and unspent', () => {
    for (const record of [sampleCoinRecord(1), sampleCoinRecord(2, true)]) {
      expect(viaWire(coinRecordToJson(record), readCoinRecord)).toEqual(record);
    }
  });

  it('round-trips the blockchain state with and without a peak', () => {
    for (const state of [sampleBlockchainState(sampleBlockRecord(3)), sampleBlockchainState(null)]) {
      expect(viaWire(blockchainStateToJson(state), readBlockchainState)).toEqual(state);
    }
  });

  it('round-trips end-of-sub-slot bundles and recent signage points', () => {
    const eos = sampleEndOfSubSlot();
    expect(viaWire(endOfSubSlotBundleToJson(eos), readEndOfSubSlotBundle)).toEqual(eos);
    const recent = { kind: 'eos' as const, eos, timeReceived: 12.5, reverted: false };
    expect(viaWire(recentSignagePointOrEosToJson(recent), readRecentSignagePointOrEos)).toEqual(recent);
  });

  it("writes Chia's forms: 0x hashes, null Optionals, node_id without 0x", () => {
    const bare = blockRecordToJson(sampleBareBlockRecord(9));
    expect(bare.header_hash).toBe(`0x${sampleBareBlockRecord(9).headerHash}`);
    expect(bare.timestamp).toBeNull();
    expect(bare.reward_claims_incorporated).toBeNull();
    expect(bare.sub_epoch_summary_included).toBeNull();
    const state = blockchainStateToJson({ ...sampleBlockchainState(null), nodeId: 'AB'.repeat(32) });
    expect(state.node_id).toBe('ab'.repeat(32));
    expect(state.peak).toBeNull();
  });

  it('refuses to write a malformed hash, naming the field', () => {
    const block = { ...sampleBlockRecord(1), farmerPuzzleHash: 'abc' };
    expect(() => blockRecordToJson(block)).toThrow(JsonShapeError);
    expect(() => blockRecordToJson(block)).toThrow('farmer_puzzle_hash');
  });
});

describe('wallet JSON writers, read back by the RPC client', () => {
  it('round-trips balances and transaction records (pending with a bundle, confirmed without)', () => {
    expect(viaWire(walletBalanceToJson(sampleWalletBalance(2)), readWalletBalance)).toEqual(sampleWalletBalance(2));
    for (const tx of [sampleTransactionRecord(1, false), sampleTransactionRecord(2, true)]) {
      expect(viaWire(transactionRecordToJson(tx), readTransactionRecord)).toEqual(tx);
    }
  });

  it('writes memos keyed by 0x coin id and peers as [peer, status, error] triples', () => {
    const tx = sampleTransactionRecord(3, false);
    const json = transactionRecordToJson(tx);
    const [coinId] = Object.keys(tx.memos);
    expect(json.memos).toEqual({ [`0x${coinId}`]: tx.memos[coinId].map((m) => `0x${m}`) });
    expect(json.sent_to).toEqual(tx.sentTo.map((p) => [p.peer, p.status, p.error]));
  });
});
