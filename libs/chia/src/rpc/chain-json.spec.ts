import fc from 'fast-check';
import { describeWithVectors } from '@pool/testing';
import { type Coin, G2_INFINITY_HEX, type SpendBundle } from '../chain/chain-types';
import {
  ChallengeChainSubSlotSchema,
  type EndOfSubSlotBundle,
  EndOfSubSlotBundleSchema,
  type VDFInfo,
  type VDFProof,
} from '../streamable/chain-objects';
import { bytesToHex } from '../util/hex';
import {
  coinSpendToJson,
  coinToJson,
  readBlockRecord,
  readChallengeChainSubSlot,
  readCoin,
  readCoinRecord,
  readCoinSpend,
  readEndOfSubSlotBundle,
  readSpendBundle,
  spendBundleToJson,
} from './chain-json';
import { type JsonValue, parseChiaJson, stringifyChiaJson } from '../util/json-bigint';
import { JsonReader, JsonShapeError } from './json-reader';
import { readTransactionRecord, readWalletBalance } from './wallet-rpc';

const HASH_A = '0x' + 'aa'.repeat(32);
const HASH_B = '0x' + 'bb'.repeat(32);
/** The same hashes as the chain types hold them (no `0x`). */
const BARE_A = 'aa'.repeat(32);
const BARE_B = 'bb'.repeat(32);

const reader = (text: string) => JsonReader.of(parseChiaJson(text));

const hexBytes = (length: number) =>
  fc.uint8Array({ minLength: length, maxLength: length }).map((bytes) => Buffer.from(bytes).toString('hex'));
const coins: fc.Arbitrary<Coin> = fc.record({
  parentCoinInfo: hexBytes(32),
  puzzleHash: hexBytes(32),
  amount: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
});

describe('coin JSON', () => {
  it('round-trips any coin through the wire format exactly', () => {
    fc.assert(
      fc.property(coins, (coin) => {
        expect(readCoin(JsonReader.of(parseChiaJson(stringifyChiaJson(coinToJson(coin)))))).toEqual(coin);
      }),
    );
  });

  it('round-trips spend bundles', () => {
    const bundles: fc.Arbitrary<SpendBundle> = fc.record({
      coinSpends: fc.array(fc.record({ coin: coins, puzzleReveal: hexBytes(5), solution: hexBytes(3) }), { maxLength: 4 }),
      aggregatedSignature: hexBytes(96),
    });
    fc.assert(
      fc.property(bundles, (bundle) => {
        expect(readSpendBundle(JsonReader.of(parseChiaJson(stringifyChiaJson(spendBundleToJson(bundle)))))).toEqual(bundle);
      }),
    );
  });

  it('normalizes hex to lowercase without 0x', () => {
    const text = `{"parent_coin_info": "${'AB'.repeat(32)}", "puzzle_hash": "0X${'Cd'.repeat(32)}", "amount": 5}`;
    const coin = readCoin(reader(text));
    expect(coin).toEqual({ parentCoinInfo: 'ab'.repeat(32), puzzleHash: 'cd'.repeat(32), amount: 5n });
  });

  it('writes hex with 0x, as Chia does, whatever form the object holds', () => {
    const json = coinToJson({ parentCoinInfo: 'AB'.repeat(32), puzzleHash: `0x${'cd'.repeat(32)}`, amount: 5n });
    expect(json).toEqual({ parent_coin_info: `0x${'ab'.repeat(32)}`, puzzle_hash: `0x${'cd'.repeat(32)}`, amount: 5n });
  });

  const coinText = (parent: string, amount: string) =>
    `{"parent_coin_info": "${parent}", "puzzle_hash": "${HASH_B}", "amount": ${amount}}`;
  it.each([
    ['an amount above uint64', coinText(HASH_A, '18446744073709551616'), '$.amount'],
    ['a negative amount', coinText(HASH_A, '-1'), '$.amount'],
    ['a fractional amount', coinText(HASH_A, '1.5'), '$.amount'],
    ['an amount as a string', coinText(HASH_A, '"5"'), '$.amount'],
    ['a short hash', coinText('0xaa', '1'), '$.parent_coin_info'],
    ['a non-hex hash', coinText('0x' + 'zz'.repeat(32), '1'), '$.parent_coin_info'],
  ])('rejects %s, naming the field', (_what, text, path) => {
    expect(() => readCoin(reader(text))).toThrow(JsonShapeError);
    expect(() => readCoin(reader(text))).toThrow(`${path}:`);
  });
});

describe('coin spend JSON (get_puzzle_and_solution, push_tx bundles)', () => {
  const rpc = {
    coin: { parent_coin_info: `0x${'AB'.repeat(32)}`, puzzle_hash: 'cd'.repeat(32), amount: 1750000000000 },
    puzzle_reveal: '0xff0180',
    solution: '80',
  };
  const readSpend = (json: object) => readCoinSpend(JsonReader.of(json as JsonValue));

  it("normalizes hex and amounts from RPC JSON and writes Chia's 0x form back", () => {
    const spend = readSpend(rpc);
    expect(spend).toEqual({
      coin: { parentCoinInfo: 'ab'.repeat(32), puzzleHash: 'cd'.repeat(32), amount: 1750000000000n },
      puzzleReveal: 'ff0180',
      solution: '80',
    });
    expect(coinSpendToJson(spend)).toEqual({
      coin: { parent_coin_info: `0x${'ab'.repeat(32)}`, puzzle_hash: `0x${'cd'.repeat(32)}`, amount: 1750000000000n },
      puzzle_reveal: '0xff0180',
      solution: '0x80',
    });
  });

  it('keeps uint64 amounts exact and rejects amounts that are not exact JSON integers', () => {
    const big = (1n << 64n) - 1n;
    expect(readSpend({ ...rpc, coin: { ...rpc.coin, amount: big } }).coin.amount).toBe(big);
    // An unsafe JS number has already lost digits; a decimal string is not Chia's wire form.
    expect(() => readSpend({ ...rpc, coin: { ...rpc.coin, amount: 2 ** 60 } })).toThrow('$.coin.amount: expected a uint64');
    expect(() => readSpend({ ...rpc, coin: { ...rpc.coin, amount: big.toString() } })).toThrow('$.coin.amount');
    expect(() => readSpend({ ...rpc, coin: { ...rpc.coin, amount: -1 } })).toThrow('$.coin.amount');
  });

  it('rejects malformed coins and signatures, naming the field', () => {
    expect(() => readSpend({ ...rpc, coin: { ...rpc.coin, puzzle_hash: 'cd' } })).toThrow(
      '$.coin.puzzle_hash: expected 32 bytes of hex',
    );
    expect(() => readSpend({ ...rpc, solution: 'xyz' })).toThrow('$.solution: expected hex bytes');
    expect(() => spendBundleToJson({ coinSpends: [], aggregatedSignature: 'c0' })).toThrow(
      'spend_bundle.aggregated_signature: expected 96 bytes of hex',
    );
  });

  it('writes an unsigned bundle with the G2 identity signature', () => {
    expect(spendBundleToJson({ coinSpends: [], aggregatedSignature: G2_INFINITY_HEX })).toEqual({
      coin_spends: [],
      aggregated_signature: `0xc0${'00'.repeat(95)}`,
    });
  });
});

describe('readCoinRecord', () => {
  const record = (extra: string) =>
    reader(`{"coin": {"parent_coin_info": "${HASH_A}", "puzzle_hash": "${HASH_B}", "amount": 1750000000000},
      "confirmed_block_index": 10, "coinbase": true, "timestamp": 1700000000 ${extra}}`);

  it('derives `spent` from spent_block_index when the service leaves it out', () => {
    expect(readCoinRecord(record(', "spent_block_index": 0')).spent).toBe(false);
    expect(readCoinRecord(record(', "spent_block_index": 12')).spent).toBe(true);
  });

  it("keeps the service's own `spent` when present", () => {
    const withSpent = readCoinRecord(record(', "spent_block_index": 12, "spent": true'));
    expect(withSpent).toMatchObject({ spent: true, spentBlockIndex: 12 });
  });
});

describe('readBlockRecord', () => {
  const required = {
    header_hash: HASH_A,
    prev_hash: HASH_B,
    height: 5,
    weight: 2n ** 100n,
    total_iters: 2n ** 80n,
    signage_point_index: 3,
    challenge_vdf_output: { data: '0x0200' + '00'.repeat(98) },
    reward_infusion_new_challenge: HASH_A,
    challenge_block_info_hash: HASH_B,
    sub_slot_iters: 147849216,
    pool_puzzle_hash: HASH_A,
    farmer_puzzle_hash: HASH_B,
    required_iters: 99,
    deficit: 0,
    overflow: true,
    prev_transaction_block_height: 4,
  };

  it('reads a non-transaction block, whose optional fields are absent, with nulls', () => {
    const block = readBlockRecord(JsonReader.of(parseChiaJson(stringifyChiaJson(required))));
    expect(block.weight).toBe(2n ** 100n);
    expect(block.totalIters).toBe(2n ** 80n);
    expect(block.timestamp).toBeNull();
    expect(block.fees).toBeNull();
    expect(block.rewardClaimsIncorporated).toBeNull();
    expect(block.finishedChallengeSlotHashes).toBeNull();
    expect(block.subEpochSummaryIncluded).toBeNull();
  });

  it('reads the sub-epoch summary and slot hashes when present', () => {
    const block = readBlockRecord(
      JsonReader.of(
        parseChiaJson(
          stringifyChiaJson({
            ...required,
            finished_challenge_slot_hashes: [HASH_A.slice(2)],
            sub_epoch_summary_included: {
              prev_subepoch_summary_hash: HASH_A,
              reward_chain_hash: HASH_B,
              num_blocks_overflow: 2,
              new_difficulty: 1024,
              new_sub_slot_iters: null,
            },
          }),
        ),
      ),
    );
    expect(block.finishedChallengeSlotHashes).toEqual([BARE_A]);
    expect(block.subEpochSummaryIncluded).toEqual({
      prevSubepochSummaryHash: BARE_A,
      rewardChainHash: BARE_B,
      numBlocksOverflow: 2,
      newDifficulty: 1024n,
      newSubSlotIters: null,
    });
  });

  it('rejects a height beyond uint32', () => {
    expect(() => readBlockRecord(JsonReader.of(parseChiaJson(stringifyChiaJson({ ...required, height: 2 ** 32 }))))).toThrow(
      '$.height: expected a uint32',
    );
  });
});

describeWithVectors<{ streamable_example: { challenge_chain: JsonValue } }>(
  'ChallengeChainSubSlot from the chia-docs get_recent_signage_point_or_eos example',
  'crypto/puzzles.json',
  (vectors) => {
    it('reads every field', () => {
      const subSlot = readChallengeChainSubSlot(JsonReader.of(vectors.streamable_example.challenge_chain));
      expect(bytesToHex(subSlot.challengeChainEndOfSlotVdf.challenge)).toBe(
        'c948e91995a270a48e8b6cc8db3a944ed74aef4d03be0f325205fba903445c70',
      );
      expect(subSlot.challengeChainEndOfSlotVdf.numberOfIterations).toBe(146800640n);
      // 100 bytes (bytes100).
      expect(subSlot.challengeChainEndOfSlotVdf.output.data).toHaveLength(100);
      expect(subSlot.infusedChallengeChainSubSlotHash && bytesToHex(subSlot.infusedChallengeChainSubSlotHash)).toBe(
        '7a26f76f0f6eda6d8033fd93306d10c01eb71a69fc0471a322feb855e8c67257',
      );
      expect(subSlot.subepochSummaryHash).toBeNull();
      expect(subSlot.newSubSlotIters).toBeNull();
      expect(subSlot.newDifficulty).toBeNull();
    });

    it('gives the same object as the Streamable schema decodes, so it hashes as in Chia', () => {
      const json = vectors.streamable_example.challenge_chain;
      expect(readChallengeChainSubSlot(JsonReader.of(json))).toEqual(ChallengeChainSubSlotSchema.fromJson(json));
    });
  },
);

describe('readEndOfSubSlotBundle', () => {
  const bytesOf = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
  const vdfs: fc.Arbitrary<VDFInfo> = fc.record({
    challenge: bytesOf(32),
    numberOfIterations: fc.bigUintN(64),
    output: fc.record({ data: bytesOf(100) }),
  });
  const proofs: fc.Arbitrary<VDFProof> = fc.record({
    witnessType: fc.nat({ max: 255 }),
    witness: fc.uint8Array({ maxLength: 40 }),
    normalizedToIdentity: fc.boolean(),
  });
  const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
  const bundles: fc.Arbitrary<EndOfSubSlotBundle> = fc.record({
    challengeChain: fc.record({
      challengeChainEndOfSlotVdf: vdfs,
      infusedChallengeChainSubSlotHash: maybe(bytesOf(32)),
      subepochSummaryHash: maybe(bytesOf(32)),
      newSubSlotIters: maybe(fc.bigUintN(64)),
      newDifficulty: maybe(fc.bigUintN(64)),
    }),
    infusedChallengeChain: maybe(fc.record({ infusedChallengeChainEndOfSlotVdf: vdfs })),
    rewardChain: fc.record({
      endOfSlotVdf: vdfs,
      challengeChainSubSlotHash: bytesOf(32),
      infusedChallengeChainSubSlotHash: maybe(bytesOf(32)),
      deficit: fc.nat({ max: 255 }),
    }),
    proofs: fc.record({
      challengeChainSlotProof: proofs,
      infusedChallengeChainSlotProof: maybe(proofs),
      rewardChainSlotProof: proofs,
    }),
  });

  it("reads any bundle written in Chia's JSON form (by the Streamable schema) back exactly", () => {
    fc.assert(
      fc.property(bundles, (bundle) => {
        const wire = parseChiaJson(EndOfSubSlotBundleSchema.toJsonText(bundle));
        expect(readEndOfSubSlotBundle(JsonReader.of(wire))).toEqual(bundle);
      }),
      { numRuns: 50 },
    );
  });

  it('rejects a classgroup element that is not 100 bytes, naming the field', () => {
    const json = EndOfSubSlotBundleSchema.toJson(fc.sample(bundles, { numRuns: 1, seed: 1 })[0]!);
    const vdf = (json['reward_chain'] as Record<string, Record<string, JsonValue>>)['end_of_slot_vdf']!;
    vdf['output'] = { data: '0x0200' };
    expect(() => readEndOfSubSlotBundle(JsonReader.of(json))).toThrow(
      '$.reward_chain.end_of_slot_vdf.output.data: expected 100 bytes of hex',
    );
  });
});

describe('wallet records', () => {
  const transaction = (memos: string) =>
    reader(`{"name": "${HASH_A}", "confirmed": true, "confirmed_at_height": 4000000, "created_at_time": 1700000000,
      "to_puzzle_hash": "${HASH_B}", "amount": 18446744073709551615, "fee_amount": 100, "sent": 2,
      "spend_bundle": null, "additions": [], "removals": [], "wallet_id": 1,
      "sent_to": [["peer-1", 1, null], ["peer-2", 3, "DOUBLE_SPEND"]], "trade_id": null, "type": 1,
      "memos": ${memos}}`);

  it('reads a transaction with dictionary memos and sent_to triples', () => {
    const tx = readTransactionRecord(transaction(`{"${HASH_A}": ["0x7061796f7574"]}`));
    expect(tx.amount).toBe(18446744073709551615n);
    expect(tx.confirmedAtHeight).toBe(4000000);
    expect(tx.toAddress).toBeNull();
    expect(tx.memos).toEqual({ [BARE_A]: ['7061796f7574'] });
    expect(tx.sentTo).toEqual([
      { peer: 'peer-1', status: 1, error: null },
      { peer: 'peer-2', status: 3, error: 'DOUBLE_SPEND' },
    ]);
  });

  it('reads memos in the list-of-pairs form too', () => {
    const tx = readTransactionRecord(transaction(`[["${HASH_A.slice(2)}", ["7061796f7574"]]]`));
    expect(tx.memos).toEqual({ [BARE_A]: ['7061796f7574'] });
  });

  it('reads a wallet balance with uint128 totals', () => {
    const balance = readWalletBalance(
      reader(`{"wallet_id": 1, "wallet_type": 0, "confirmed_wallet_balance": 340282366920938463463374607431768211455,
        "unconfirmed_wallet_balance": 0, "spendable_balance": 9007199254740993, "pending_change": 0,
        "max_send_amount": 9007199254740993, "unspent_coin_count": 3, "pending_coin_removal_count": 0,
        "fingerprint": 3967641394, "asset_id": null}`),
    );
    expect(balance.confirmedWalletBalance).toBe(2n ** 128n - 1n);
    expect(balance.spendableBalance).toBe(9007199254740993n);
    expect(balance.fingerprint).toBe(3967641394);
    expect(balance.pendingApprovalBalance).toBeNull();
  });
});
