import { createHash } from 'node:crypto';
import { ChallengeChainSubSlotSchema, G2_INFINITY_HEX, type Hex, type SpendBundle, coinId } from '@pool/chia';
import { DEVNET_NETWORK } from '../network';
import { DevnetChain } from './devnet-chain';
import { clvmList, conditionsPuzzle, createCoinCondition } from './devnet-puzzles';

const sps = DEVNET_NETWORK.numSpsSubSlot;
const spMs = DEVNET_NETWORK.subSlotTimeMs / sps;
const POOL_PH = 'aa'.repeat(32);
const FARMER_PH = 'bb'.repeat(32);

function sha256Hex(bytes: Uint8Array): Hex {
  return createHash('sha256').update(bytes).digest('hex');
}

/** genesis[from:from+16] || uint128 big-endian height, written out here independently of @pool/chia. */
function coinbaseParent(half: 0 | 1, height: number): Hex {
  const genesis = Buffer.from(DEVNET_NETWORK.genesisChallenge, 'hex');
  const heightBytes = Buffer.alloc(16);
  heightBytes.writeBigUInt64BE(BigInt(height), 8);
  return Buffer.concat([genesis.subarray(half * 16, half * 16 + 16), heightBytes]).toString('hex');
}

function quietChain(seed = 'spec'): DevnetChain {
  return new DevnetChain({ seed, networkBlockEverySignagePoints: 0 });
}

/** A spend of a coin at the key-less conditions puzzle, paying `outputs`. */
function conditionsSpend(tag: string, coin: { parentCoinInfo: Hex; puzzleHash: Hex; amount: bigint }, outputs: [Hex, bigint][]): SpendBundle {
  const puzzle = conditionsPuzzle(tag);
  return {
    coinSpends: [
      {
        coin,
        puzzleReveal: puzzle.serializeHex(),
        solution: clvmList(outputs.map(([ph, amount]) => createCoinCondition(ph, amount))).serializeHex(),
      },
    ],
    aggregatedSignature: G2_INFINITY_HEX,
  };
}

describe('DevnetChain signage points', () => {
  it('produces one end of sub-slot and 63 signage points per sub-slot, one per interval of the clock', () => {
    const chain = quietChain();
    expect(chain.signagePoints()).toHaveLength(1);
    chain.advance(spMs - 1);
    expect(chain.signagePoints()).toHaveLength(1);
    chain.advance(1);
    expect(chain.signagePoints()).toHaveLength(2);
    chain.advance(DEVNET_NETWORK.subSlotTimeMs);
    const entries = chain.signagePoints();
    expect(entries).toHaveLength(sps + 2);
    expect(entries.filter((e) => e.eos !== null).map((e) => e.seq)).toEqual([0, sps]);
    expect(entries.slice(1, sps).map((e) => e.index)).toEqual(Array.from({ length: sps - 1 }, (_, i) => i + 1));
    expect(entries[1].timeMs - entries[0].timeMs).toBe(spMs);
  });

  it('chains sub-slots: the EOS hash is the challenge chain hash, and the next sub-slot answers it', () => {
    const chain = quietChain();
    chain.advance(DEVNET_NETWORK.subSlotTimeMs * 2);
    const entries = chain.signagePoints();
    const eos0 = entries[0].eos!;
    expect(Buffer.from(eos0.challengeChain.challengeChainEndOfSlotVdf.challenge).toString('hex')).toBe(DEVNET_NETWORK.genesisChallenge);
    expect(entries[0].hash).toBe(Buffer.from(ChallengeChainSubSlotSchema.hash(eos0.challengeChain)).toString('hex'));
    for (const entry of entries.slice(1, sps)) {
      expect(Buffer.from(entry.signagePoint!.ccVdf!.challenge).toString('hex')).toBe(entries[0].hash);
      expect(entry.hash).toBe(sha256Hex(entry.signagePoint!.ccVdf!.output.data));
      expect(entry.challenge).toBe(entries[0].hash);
    }
    const eos1 = entries[sps].eos!;
    expect(Buffer.from(eos1.challengeChain.challengeChainEndOfSlotVdf.challenge).toString('hex')).toBe(entries[0].hash);
    expect(new Set(entries.map((e) => e.hash)).size).toBe(entries.length);
  });

  it('is reproducible from the seed and differs across seeds', () => {
    const a = quietChain('one');
    const b = quietChain('one');
    const c = quietChain('two');
    for (const chain of [a, b, c]) chain.advance(DEVNET_NETWORK.subSlotTimeMs);
    expect(a.signagePoints().map((e) => e.hash)).toEqual(b.signagePoints().map((e) => e.hash));
    expect(a.signagePoints()[5].hash).not.toBe(c.signagePoints()[5].hash);
  });

  it('answers get_recent_signage_point_or_eos by sp hash and by EOS challenge hash', async () => {
    const chain = quietChain();
    chain.advance(DEVNET_NETWORK.subSlotTimeMs);
    const sp = chain.signagePoints()[7];
    const found = await chain.getRecentSignagePointOrEos({ spHash: sp.hash });
    expect(found).toMatchObject({ kind: 'signage_point', reverted: false, timeReceived: sp.timeMs / 1000 });
    const eos = chain.signagePoints()[sps];
    expect(await chain.getRecentSignagePointOrEos({ challengeHash: eos.hash })).toMatchObject({ kind: 'eos', reverted: false });
    expect(await chain.getRecentSignagePointOrEos({ spHash: eos.hash })).toBeNull();
    expect(await chain.getRecentSignagePointOrEos({ spHash: 'ff'.repeat(32) })).toBeNull();
  });
});

describe('DevnetChain blocks and rewards', () => {
  it('starts at a genesis block and links each block to the previous one', async () => {
    const chain = quietChain();
    expect(chain.peakHeight()).toBe(0);
    const genesis = chain.peak();
    expect(genesis.prevHash).toBe(DEVNET_NETWORK.genesisChallenge);
    const [one, two] = chain.farmBlocks(2).map((farmed) => farmed.block);
    expect([one.height, two.height]).toEqual([1, 2]);
    expect(one.prevHash).toBe(genesis.headerHash);
    expect(two.prevHash).toBe(one.headerHash);
    expect(two.weight - one.weight).toBe(DEVNET_NETWORK.difficulty);
    expect(await chain.getBlockRecordByHeight(1)).toEqual(one);
    expect(await chain.getBlockRecord(two.headerHash)).toEqual(two);
    expect(await chain.getBlockRecordByHeight(3)).toBeNull();
    const state = await chain.getBlockchainState();
    expect(state.peak?.headerHash).toBe(two.headerHash);
    expect(state.sync.synced).toBe(true);
    expect(state.difficulty).toBe(DEVNET_NETWORK.difficulty);
  });

  it('lets the rest of the network farm a block every N signage points', async () => {
    const chain = new DevnetChain({ seed: 'spec', networkBlockEverySignagePoints: 2 });
    chain.advance(DEVNET_NETWORK.subSlotTimeMs);
    expect(chain.peakHeight()).toBe(sps / 2);
    const state = await chain.getBlockchainState();
    expect(state.averageBlockTime).toBe((2 * spMs) / 1000);
    // Chia's estimate 0.78 * DCF * 2^filter_bits * weight/iters, where weight grows by D per block and total
    // iterations by about two signage point intervals per block (filter_bits = 1 gives the factor 2).
    const intervalIters = DEVNET_NETWORK.subSlotIters / 64n;
    const expected = (78n * DEVNET_NETWORK.difficulty * DEVNET_NETWORK.difficultyConstantFactor * 2n) / (100n * 2n * intervalIters);
    const relative = Number(state.space - expected) / Number(expected);
    expect(Math.abs(relative)).toBeLessThan(0.05);
  });

  it('pays 7/8 to the pool target and 1/8 to the farmer with the coinbase parent ids', async () => {
    const chain = quietChain();
    chain.advanceSignagePoints(3);
    const sp = chain.latestSignagePoint();
    const farmed = chain.submitBlock({ signagePointHash: sp.hash, farmerPuzzleHash: FARMER_PH, poolPuzzleHash: POOL_PH, requiredIters: 1000n });
    const height = farmed.block.height;
    const [poolRecord] = await chain.getCoinRecordsByPuzzleHash(POOL_PH);
    expect(poolRecord.coin).toEqual({ parentCoinInfo: coinbaseParent(0, height), puzzleHash: POOL_PH, amount: 1_750_000_000_000n });
    expect(poolRecord).toMatchObject({ coinbase: true, confirmedBlockIndex: height, spentBlockIndex: 0, spent: false, timestamp: farmed.block.timestamp });
    const [farmerRecord] = await chain.getCoinRecordsByPuzzleHash(FARMER_PH);
    expect(farmerRecord.coin).toEqual({ parentCoinInfo: coinbaseParent(1, height), puzzleHash: FARMER_PH, amount: 250_000_000_000n });
    expect(farmed.block.signagePointIndex).toBe(sp.index);
    const { additions, removals } = await chain.getAdditionsAndRemovals(farmed.block.headerHash);
    expect(additions.map((r) => r.coin.puzzleHash).sort()).toEqual([POOL_PH, FARMER_PH]);
    expect(removals).toEqual([]);
    expect(await chain.getCoinRecordByName(coinId(poolRecord.coin))).toEqual(poolRecord);
    expect(await chain.getCoinRecordsByParentIds([coinbaseParent(1, height)])).toEqual([farmerRecord]);
  });

  it('refuses blocks on unknown signage points and proofs that are not good enough', () => {
    const chain = quietChain();
    chain.advanceSignagePoints(2);
    const sp = chain.latestSignagePoint();
    const base = { farmerPuzzleHash: FARMER_PH, poolPuzzleHash: POOL_PH };
    expect(() => chain.submitBlock({ ...base, signagePointHash: '12'.repeat(32) })).toThrow(/SP_NOT_IN_CACHE/);
    const limit = DEVNET_NETWORK.subSlotIters / 64n;
    expect(() => chain.submitBlock({ ...base, signagePointHash: sp.hash, requiredIters: limit })).toThrow(/INVALID_REQUIRED_ITERS/);
    expect(chain.submitBlock({ ...base, signagePointHash: sp.hash, requiredIters: limit - 1n }).block.height).toBe(1);
  });

  it('computes required iterations from a quality string at the network difficulty', () => {
    const chain = quietChain();
    chain.advanceSignagePoints(2);
    const sp = chain.latestSignagePoint();
    const base = { farmerPuzzleHash: FARMER_PH, poolPuzzleHash: POOL_PH, signagePointHash: sp.hash };
    // Search for quality strings on each side of the threshold; the formula is written out here, not imported.
    const factor = DEVNET_NETWORK.difficulty * DEVNET_NETWORK.difficultyConstantFactor;
    const k = 18;
    const plotSize = BigInt(2 * k + 1) << BigInt(k - 1);
    const itersFor = (quality: string) => {
      const spQuality = BigInt('0x' + sha256Hex(Buffer.from(quality + sp.hash, 'hex')));
      const iters = (factor * spQuality) / ((1n << 256n) * plotSize);
      return iters > 1n ? iters : 1n;
    };
    const limit = DEVNET_NETWORK.subSlotIters / 64n;
    const qualities = Array.from({ length: 2000 }, (_, i) => sha256Hex(Buffer.from(`q${i}`)));
    const winning = qualities.find((q) => itersFor(q) < limit)!;
    const losing = qualities.find((q) => itersFor(q) >= limit)!;
    expect(() => chain.submitBlock({ ...base, quality: { qualityString: losing, plotSize: k } })).toThrow(/INVALID_REQUIRED_ITERS/);
    const farmed = chain.submitBlock({ ...base, quality: { qualityString: winning, plotSize: k } });
    expect(farmed.block.requiredIters).toBe(itersFor(winning));
  });

  it('filters coin records by spent state and height range like the node', async () => {
    const chain = quietChain();
    chain.farmBlock({ poolPuzzleHash: POOL_PH });
    chain.farmBlock({ poolPuzzleHash: POOL_PH });
    chain.farmBlock({ poolPuzzleHash: POOL_PH });
    const heights = async (query: object) => (await chain.getCoinRecordsByPuzzleHashes([POOL_PH], query)).map((r) => r.confirmedBlockIndex);
    expect(await heights({})).toEqual([1, 2, 3]);
    expect(await heights({ startHeight: 2 })).toEqual([2, 3]);
    expect(await heights({ startHeight: 1, endHeight: 3 })).toEqual([1, 2]);
    const [first] = await chain.getCoinRecordsByPuzzleHash(POOL_PH);
    expect(await chain.getCoinRecordsByNames([coinId(first.coin), 'ee'.repeat(32)])).toEqual([first]);
  });
});

describe('DevnetChain mempool', () => {
  const tag = 'spec-wallet';
  const walletPh = conditionsPuzzle(tag).hashHex();

  it('spends a coin, records its spend and gives the fee to the farmer', async () => {
    const chain = quietChain();
    const coin = chain.mint(walletPh, 1000n);
    chain.farmBlock();
    const bundle = conditionsSpend(tag, coin, [[POOL_PH, 600n], [walletPh, 300n]]);
    expect(await chain.pushTx(bundle)).toEqual({ status: 'SUCCESS' });
    expect(await chain.pushTx(bundle)).toEqual({ status: 'SUCCESS' });
    const farmed = chain.farmBlock({ farmerPuzzleHash: FARMER_PH });
    expect(farmed.farmerRewardCoin.amount).toBe(250_000_000_000n + 100n);
    const spent = await chain.getCoinRecordByName(coinId(coin));
    expect(spent).toMatchObject({ spent: true, spentBlockIndex: farmed.block.height, coinbase: false });
    expect(await chain.getPuzzleAndSolution(coinId(coin), farmed.block.height)).toEqual(bundle.coinSpends[0]);
    await expect(chain.getPuzzleAndSolution(coinId(coin), farmed.block.height - 1)).rejects.toThrow(/not spent/);
    const created = await chain.getCoinRecordsByParentIds([coinId(coin)]);
    expect(created.map((r) => r.coin.amount).sort()).toEqual([300n, 600n]);
    const { removals } = await chain.getAdditionsAndRemovals(farmed.block.headerHash);
    expect(removals.map((r) => coinId(r.coin))).toEqual([coinId(coin)]);
    expect(await chain.getCoinRecordsByPuzzleHash(walletPh)).toHaveLength(1);
    expect(await chain.getCoinRecordsByPuzzleHash(walletPh, { includeSpentCoins: true })).toHaveLength(2);
  });

  it('refuses unknown coins, spent coins, minting, wrong reveals and conflicting bundles', async () => {
    const chain = quietChain();
    const coin = chain.mint(walletPh, 1000n);
    chain.farmBlock();
    const unknown = { parentCoinInfo: '01'.repeat(32), puzzleHash: walletPh, amount: 5n };
    await expect(chain.pushTx(conditionsSpend(tag, unknown, []))).rejects.toThrow(/UNKNOWN_UNSPENT/);
    await expect(chain.pushTx(conditionsSpend(tag, coin, [[POOL_PH, 1001n]]))).rejects.toThrow(/MINTING_COIN/);
    await expect(chain.pushTx(conditionsSpend('other-tag', coin, []))).rejects.toThrow(/WRONG_PUZZLE_HASH/);
    await chain.pushTx(conditionsSpend(tag, coin, [[POOL_PH, 1000n]]));
    await expect(chain.pushTx(conditionsSpend(tag, coin, [[POOL_PH, 999n]]))).rejects.toThrow(/MEMPOOL_CONFLICT/);
    chain.farmBlock();
    await expect(chain.pushTx(conditionsSpend(tag, coin, [[POOL_PH, 999n]]))).rejects.toThrow(/UNKNOWN_UNSPENT/);
  });
});

describe('DevnetChain reorgs', () => {
  it('orphans rewards and signage points, marks them reverted and farms a heavier branch', async () => {
    const chain = quietChain();
    chain.farmBlocks(3);
    chain.advanceSignagePoints(5);
    const oldSp = chain.latestSignagePoint();
    const ours = chain.submitBlock({ signagePointHash: oldSp.hash, farmerPuzzleHash: FARMER_PH, poolPuzzleHash: POOL_PH });
    chain.advanceSignagePoints(2);
    chain.farmBlock();
    expect(chain.peakHeight()).toBe(5);
    const oldPeakWeight = chain.peak().weight;
    const keptSp = chain.signagePoints()[oldSp.seq - 1];

    const result = chain.reorg(2);

    expect(result.orphaned.map((b) => b.height)).toEqual([4, 5]);
    expect(result.newBlocks.map((b) => b.height)).toEqual([4, 5, 6]);
    expect(chain.peak().weight).toBeGreaterThan(oldPeakWeight);
    expect(await chain.getCoinRecordsByPuzzleHash(POOL_PH)).toEqual([]);
    expect(await chain.getCoinRecordByName(coinId(ours.poolRewardCoin))).toBeNull();
    expect((await chain.getBlockRecordByHeight(4))?.headerHash).not.toBe(ours.block.headerHash);
    expect(await chain.getBlockRecord(ours.block.headerHash)).toEqual(ours.block);
    expect(chain.isInMainChain(ours.block.headerHash)).toBe(false);
    await expect(chain.getAdditionsAndRemovals(ours.block.headerHash)).rejects.toThrow(/not in the main chain/);

    expect(await chain.getRecentSignagePointOrEos({ spHash: oldSp.hash })).toMatchObject({ reverted: true });
    expect(await chain.getRecentSignagePointOrEos({ spHash: keptSp.hash })).toMatchObject({ reverted: false });
    const replacement = chain.signagePoints()[oldSp.seq];
    expect(replacement.hash).not.toBe(oldSp.hash);
    expect(await chain.getRecentSignagePointOrEos({ spHash: replacement.hash })).toMatchObject({ reverted: false });
    expect(() => chain.submitBlock({ signagePointHash: oldSp.hash, farmerPuzzleHash: FARMER_PH, poolPuzzleHash: POOL_PH })).toThrow(/SP_REVERTED/);
  });

  it('puts the transactions of orphaned blocks back in the mempool so they confirm again', async () => {
    const chain = quietChain();
    const tag = 'spec-reorg';
    const coin = chain.mint(conditionsPuzzle(tag).hashHex(), 50n);
    chain.farmBlock();
    await chain.pushTx(conditionsSpend(tag, coin, [[POOL_PH, 50n]]));
    const included = chain.farmBlock();
    expect((await chain.getCoinRecordByName(coinId(coin)))?.spentBlockIndex).toBe(included.block.height);
    chain.reorg(1, { newBlocks: 2 });
    const record = await chain.getCoinRecordByName(coinId(coin));
    expect(record?.spent).toBe(true);
    expect(record?.spentBlockIndex).toBe(included.block.height);
    expect(chain.peakHeight()).toBe(included.block.height + 1);
    expect((await chain.getCoinRecordsByPuzzleHash(POOL_PH)).map((r) => r.coin.amount)).toEqual([50n]);
  });

  it('refuses a reorg deeper than the chain', () => {
    const chain = quietChain();
    chain.farmBlock();
    expect(() => chain.reorg(2)).toThrow(RangeError);
  });
});

describe('DevnetChain horizons (a devnet that runs for days)', () => {
  /** Small horizons so a spec crosses them quickly; the defaults are far larger. */
  function busyChain(): DevnetChain {
    return new DevnetChain({ seed: 'horizon', networkBlockEverySignagePoints: 2, signagePointCacheSize: 3 * sps, fullBlockHeights: 260, maxReorgDepth: 50 });
  }

  it('forgets signage points older than the horizon, whole sub-slots at a time, and keeps answering recent ones', async () => {
    const chain = busyChain();
    chain.advanceSignagePoints(10);
    const first = chain.signagePoints(0);
    const oldSp = first[5];
    const oldEos = first[0];
    chain.advanceSignagePoints(10 * sps);
    const latest = chain.latestSignagePoint();
    expect(chain.oldestRememberedSeq() % sps).toBe(0);
    expect(latest.seq - chain.oldestRememberedSeq() + 1).toBeGreaterThanOrEqual(3 * sps);
    expect(latest.seq - chain.oldestRememberedSeq() + 1).toBeLessThan(4 * sps);
    expect(await chain.getRecentSignagePointOrEos({ spHash: oldSp.hash })).toBeNull();
    expect(await chain.getRecentSignagePointOrEos({ challengeHash: oldEos.hash })).toBeNull();
    expect(() => chain.submitBlock({ signagePointHash: oldSp.hash, farmerPuzzleHash: FARMER_PH, poolPuzzleHash: POOL_PH })).toThrow(/SP_NOT_IN_CACHE/);
    expect(await chain.getRecentSignagePointOrEos({ spHash: latest.hash })).toMatchObject({ reverted: false });
    expect(chain.signagePoints(0)[0].seq).toBe(chain.oldestRememberedSeq());
    expect(chain.signagePoints(latest.seq)).toEqual([latest]);
    // The sub-slots after the forgotten ones still chain: the next EOS answers the remembered sub-slot's challenge.
    chain.advanceSignagePoints(sps);
    const eos = chain.signagePoints(chain.latestSignagePoint().seq - (chain.latestSignagePoint().seq % sps))[0];
    const previous = chain.signagePoints(eos.seq - sps)[0];
    expect(Buffer.from(eos.eos!.challengeChain.challengeChainEndOfSlotVdf.challenge).toString('hex')).toBe(previous.hash);
  });

  it('compacts old blocks but rebuilds the same record for every height and header hash', async () => {
    const chain = busyChain();
    chain.advanceSignagePoints(40);
    const won = chain.submitBlock({ signagePointHash: chain.latestSignagePoint().hash, farmerPuzzleHash: FARMER_PH, poolPuzzleHash: POOL_PH });
    const genesis = await chain.getBlockRecordByHeight(0);
    const middle = await chain.getBlockRecordByHeight(10);
    chain.advanceSignagePoints(2 * 600);
    expect(chain.peakHeight()).toBeGreaterThan(won.block.height + 260);
    expect(await chain.getBlockRecordByHeight(0)).toEqual(genesis);
    expect(await chain.getBlockRecordByHeight(10)).toEqual(middle);
    expect(await chain.getBlockRecordByHeight(won.block.height)).toEqual(won.block);
    expect(await chain.getBlockRecord(won.block.headerHash)).toEqual(won.block);
    expect(chain.isInMainChain(won.block.headerHash)).toBe(true);
    await expect(chain.getAdditionsAndRemovals(won.block.headerHash)).rejects.toThrow(/BLOCK_COMPACTED/);
    const recent = await chain.getBlockRecordByHeight(chain.peakHeight() - 5);
    expect((await chain.getAdditionsAndRemovals(recent!.headerHash)).additions).toHaveLength(2);
    // The pool's reward coin of an old block stays; the rest of the network's unspendable old rewards do not.
    expect(await chain.getCoinRecordByName(coinId(won.poolRewardCoin))).toMatchObject({ confirmedBlockIndex: won.block.height, coinbase: true });
    const networkCoins = await chain.getCoinRecordsByPuzzleHash(chain.networkFarmerPuzzleHash);
    expect(networkCoins.length).toBeGreaterThan(0);
    expect(Math.min(...networkCoins.map((r) => r.confirmedBlockIndex))).toBeGreaterThanOrEqual(chain.peakHeight() - 260);
  });

  it('keeps spent coins and their spends however old (the pool walks plot NFT lineages from the launcher)', async () => {
    const chain = busyChain();
    const tag = 'spec-horizon';
    const coin = chain.mint(conditionsPuzzle(tag).hashHex(), 51n);
    chain.advanceSignagePoints(2);
    await chain.pushTx(conditionsSpend(tag, coin, [[POOL_PH, 51n]]));
    chain.advanceSignagePoints(2);
    const spent = await chain.getCoinRecordByName(coinId(coin));
    expect(spent?.spent).toBe(true);
    chain.advanceSignagePoints(2 * 600);
    expect(await chain.getCoinRecordByName(coinId(coin))).toEqual(spent);
    expect((await chain.getPuzzleAndSolution(coinId(coin), spent!.spentBlockIndex)).coin).toEqual(coin);
    expect((await chain.getCoinRecordsByParentIds([coinId(coin)], { includeSpentCoins: true })).map((r) => r.coin.amount)).toEqual([51n]);
  });

  it('reorgs up to maxReorgDepth, and after a reorg still forgets the orphans once they are old', async () => {
    const chain = busyChain();
    chain.advanceSignagePoints(200);
    expect(() => chain.reorg(51)).toThrow(RangeError);
    const result = chain.reorg(50);
    const orphan = result.orphaned[0];
    expect(await chain.getBlockRecord(orphan.headerHash)).toEqual(orphan);
    chain.advanceSignagePoints(2 * 600);
    expect(await chain.getBlockRecord(orphan.headerHash)).toBeNull();
    expect((await chain.getBlockRecordByHeight(result.newBlocks[0].height))?.headerHash).toBe(result.newBlocks[0].headerHash);
  });

  it('refuses horizons that would break reorgs or the follower window', () => {
    expect(() => new DevnetChain({ signagePointCacheSize: sps })).toThrow(RangeError);
    expect(() => new DevnetChain({ fullBlockHeights: 300, maxReorgDepth: 100 })).toThrow(RangeError);
  });
});
