import { coinId } from '@pool/chia';
import { DevnetChain, conditionsPuzzleHash } from '../chain';
import { DevnetWallet } from './devnet-wallet';

const XCH = 1_000_000_000_000n;
const ALICE = 'a1'.repeat(32);
const BOB = 'b0'.repeat(32);

function setup() {
  const chain = new DevnetChain({ seed: 'wallet-spec', networkBlockEverySignagePoints: 0 });
  const wallet = new DevnetWallet(chain, { tag: 'spec-pool-wallet' });
  wallet.fund(5n * XCH);
  wallet.fund(3n * XCH);
  wallet.fund(1n * XCH);
  chain.farmBlock();
  return { chain, wallet };
}

describe('DevnetWallet', () => {
  it('reports the coins at its puzzle hash as its balance', async () => {
    const { wallet } = setup();
    expect(wallet.puzzleHash).toBe(conditionsPuzzleHash('spec-pool-wallet'));
    const balance = await wallet.getWalletBalance(1);
    expect(balance).toMatchObject({
      confirmedWalletBalance: 9n * XCH,
      spendableBalance: 9n * XCH,
      unconfirmedWalletBalance: 9n * XCH,
      unspentCoinCount: 3,
      pendingCoinRemovalCount: 0,
    });
    await expect(wallet.getWalletBalance(2)).rejects.toThrow(/WALLET_NOT_FOUND/);
  });

  it('pays several outputs with change back, and confirms the transaction at the next block', async () => {
    const { chain, wallet } = setup();
    const fee = XCH / 10n;
    const result = await wallet.sendTransactionMulti({
      walletId: 1,
      additions: [
        { puzzleHash: ALICE, amount: 4n * XCH, memos: ['alice'] },
        { puzzleHash: BOB, amount: (5n * XCH) / 2n },
      ],
      fee,
    });
    expect(result.transactionId).toBe(result.transaction.name);
    expect(result.transaction.confirmed).toBe(false);
    expect(result.transaction.removals.map((coin) => coin.amount)).toEqual([5n * XCH, 3n * XCH]);
    const pending = await wallet.getWalletBalance(1);
    expect(pending.spendableBalance).toBe(1n * XCH);
    expect(pending.pendingChange).toBe(8n * XCH - 4n * XCH - (5n * XCH) / 2n - fee);
    expect(pending.pendingCoinRemovalCount).toBe(2);

    const block = chain.farmBlock();
    const confirmed = await wallet.getTransaction(result.transactionId);
    expect(confirmed).toMatchObject({ confirmed: true, confirmedAtHeight: block.block.height });
    expect((await chain.getCoinRecordsByPuzzleHash(ALICE)).map((r) => r.coin.amount)).toEqual([4n * XCH]);
    expect((await chain.getCoinRecordsByPuzzleHash(BOB)).map((r) => r.coin.amount)).toEqual([(5n * XCH) / 2n]);
    const aliceCoin = result.transaction.additions.find((coin) => coin.puzzleHash === ALICE)!;
    expect(result.transaction.memos[coinId(aliceCoin)]).toEqual([Buffer.from('alice').toString('hex')]);
    expect(block.farmerRewardCoin.amount).toBe(XCH / 4n + fee);
    const after = await wallet.getWalletBalance(1);
    expect(after.confirmedWalletBalance).toBe(9n * XCH - 4n * XCH - (5n * XCH) / 2n - fee);
    expect(after.pendingCoinRemovalCount).toBe(0);
    expect(await wallet.getHeightInfo()).toBe(block.block.height);
  });

  it('does not reuse coins of a pending transaction and honours excluded coins', async () => {
    const { chain, wallet } = setup();
    const first = await wallet.sendTransactionMulti({ walletId: 1, additions: [{ puzzleHash: ALICE, amount: 4n * XCH }], fee: 0n });
    const second = await wallet.sendTransactionMulti({ walletId: 1, additions: [{ puzzleHash: BOB, amount: 2n * XCH }], fee: 0n });
    expect(second.transaction.removals.map(coinId)).not.toContain(coinId(first.transaction.removals[0]));
    await expect(
      wallet.sendTransactionMulti({ walletId: 1, additions: [{ puzzleHash: BOB, amount: XCH + 1n }], fee: 0n }),
    ).rejects.toThrow(/INSUFFICIENT_FUNDS/);
    chain.farmBlock();
    const change = (await chain.getCoinRecordsByPuzzleHash(wallet.puzzleHash)).map((r) => r.coin);
    const excluded = change.find((coin) => coin.amount === XCH)!;
    const third = await wallet.sendTransactionMulti({
      walletId: 1,
      additions: [{ puzzleHash: BOB, amount: 1n }],
      fee: 0n,
      txConfig: { excludedCoinIds: [coinId(excluded)] },
    });
    expect(third.transaction.removals.map(coinId)).not.toContain(coinId(excluded));
  });

  it('knows only its own transactions and re-confirms them after a reorg', async () => {
    const { chain, wallet } = setup();
    expect(await wallet.getTransaction('00'.repeat(32))).toBeNull();
    const sent = await wallet.sendTransactionMulti({ walletId: 1, additions: [{ puzzleHash: ALICE, amount: XCH }], fee: 0n });
    chain.farmBlock();
    chain.reorg(1, { newBlocks: 2 });
    const record = await wallet.getTransaction(sent.transactionId);
    expect(record?.confirmed).toBe(true);
    expect((await chain.getCoinRecordsByPuzzleHash(ALICE)).map((r) => r.coin.amount)).toEqual([XCH]);
  });

  it('builds a signed transaction without pushing it unless asked', async () => {
    const { chain, wallet } = setup();
    const unpushed = await wallet.createSignedTransaction({ additions: [{ puzzleHash: ALICE, amount: 1n }], fee: 5n });
    expect(unpushed.signedTxs[0].spendBundle).not.toBeNull();
    expect(chain.mempoolNames()).toEqual([]);
    const pushed = await wallet.createSignedTransaction({ additions: [{ puzzleHash: ALICE, amount: 1n }], fee: 5n, push: true });
    expect(chain.mempoolNames()).toEqual([pushed.signedTxs[0].name]);
    expect(await wallet.getSyncStatus()).toEqual({ synced: true, syncing: false, genesisInitialized: true });
  });
  it('logs in as Chia\'s wallet does: its own key at once, any other refused, leaving no key logged in', async () => {
    const { wallet } = setup();
    expect(await wallet.getLoggedInFingerprint()).toBe(wallet.fingerprint);
    expect(await wallet.logIn(wallet.fingerprint)).toBe(wallet.fingerprint);
    await expect(wallet.logIn(wallet.fingerprint + 1)).rejects.toThrow(`fingerprint ${wallet.fingerprint + 1} not found in keychain`);
    expect(await wallet.getLoggedInFingerprint()).toBeNull();
    expect(await wallet.logIn(wallet.fingerprint)).toBe(wallet.fingerprint);
    expect(await wallet.getLoggedInFingerprint()).toBe(wallet.fingerprint);
  });
  it('builds as Chia does: one given coin creates the payments in the order asked, then change to a fresh address of its own', async () => {
    const { chain, wallet } = setup();
    const coins = (await chain.getCoinRecordsByPuzzleHash(wallet.puzzleHash)).map((r) => r.coin).sort((a, b) => (a.amount < b.amount ? -1 : 1));
    const [one, three] = [coins[0]!, coins[1]!];
    const request = {
      walletId: 1,
      additions: [
        { puzzleHash: ALICE, amount: 2n * XCH },
        { puzzleHash: BOB, amount: XCH },
      ],
      fee: 7n,
      coins: [one, three],
    };
    const unpushed = (await wallet.createSignedTransaction(request)).signedTxs[0]!;
    // Chia takes the coins as a set: the origin is not the first given (here, the smaller coin id).
    const parent = [coinId(one), coinId(three)].sort()[0]!;
    const [toAlice, toBob, change] = unpushed.additions;
    expect([toAlice, toBob]).toEqual([
      { parentCoinInfo: parent, puzzleHash: ALICE, amount: 2n * XCH },
      { parentCoinInfo: parent, puzzleHash: BOB, amount: XCH },
    ]);
    expect(change).toMatchObject({ parentCoinInfo: parent, amount: XCH - 7n });
    expect(change!.puzzleHash).not.toBe(wallet.puzzleHash);
    expect(unpushed.removals.map(coinId).sort()).toEqual([coinId(one), coinId(three)].sort());
    expect(chain.mempoolNames()).toEqual([]);
    // Asked to reuse its address, the wallet sends change back to it.
    const reused = (await wallet.createSignedTransaction({ ...request, txConfig: { reusePuzhash: true } })).signedTxs[0]!;
    expect(reused.additions[2]).toMatchObject({ puzzleHash: wallet.puzzleHash, amount: XCH - 7n });
    await expect(wallet.createSignedTransaction({ ...request, additions: [request.additions[1]!, request.additions[1]!] })).rejects.toThrow(/two identical coins/);

    const pushed = (await wallet.createSignedTransaction({ ...request, push: true })).signedTxs[0]!;
    expect(chain.mempoolNames()).toEqual([pushed.name]);
    await expect(
      wallet.createSignedTransaction({ walletId: 1, additions: [{ puzzleHash: BOB, amount: 1n }], fee: 0n, coins: [three], push: true }),
    ).rejects.toThrow(/MEMPOOL_CONFLICT/);

    const block = chain.farmBlock();
    expect(await wallet.getTransaction(pushed.name)).toMatchObject({ confirmed: true, confirmedAtHeight: block.block.height });
    const created = await chain.getCoinRecordsByNames(pushed.additions.map(coinId));
    expect(created).toHaveLength(3);
    // The change at its fresh address is the wallet's: in its balance, and spendable.
    expect((await wallet.getWalletBalance(1)).confirmedWalletBalance).toBe(9n * XCH - 3n * XCH - 7n);
    expect(wallet.unspentCoins().map((r) => coinId(r.coin))).toContain(coinId(pushed.additions[2]!));
    await expect(wallet.createSignedTransaction({ ...request, push: true })).rejects.toThrow(/DOUBLE_SPEND/);
    await expect(
      wallet.createSignedTransaction({ additions: [{ puzzleHash: BOB, amount: 1n }], fee: 0n, coins: [{ parentCoinInfo: ALICE, puzzleHash: BOB, amount: 1n }] }),
    ).rejects.toThrow(/not a coin of this wallet/);
  });

  it('shuffled: any coin may create the outputs, outputs and spends come in any order, change always goes to a fresh address', async () => {
    const chain = new DevnetChain({ seed: 'wallet-spec-shuffled', networkBlockEverySignagePoints: 0 });
    let draws = [0.99, 0.99, 0.0, 0.5];
    const wallet = new DevnetWallet(chain, { tag: 'spec-shuffled', behaviour: 'shuffled', random: () => (draws.length > 0 ? draws.shift()! : 0.3) });
    const a = wallet.fund(5n * XCH);
    const b = wallet.fund(3n * XCH);
    chain.farmBlock();
    const parents = new Set<string>();
    for (let i = 0; i < 8; i++) {
      draws = i % 2 === 0 ? [0.0, 0.0, 0.0, 0.0, 0.0] : [0.99, 0.99, 0.99, 0.99, 0.99];
      const tx = (await wallet.createSignedTransaction({ additions: [{ puzzleHash: ALICE, amount: XCH }], fee: 0n, coins: [a, b], txConfig: { reusePuzhash: true } })).signedTxs[0]!;
      parents.add(tx.additions[0]!.parentCoinInfo);
      expect(tx.additions.find((c) => c.puzzleHash !== ALICE)!.puzzleHash).not.toBe(wallet.puzzleHash);
    }
    expect(parents).toEqual(new Set([coinId(a), coinId(b)]));
    // Whatever it chose, the chain takes it: every spend asserts the origin's announcement.
    const tx = (await wallet.createSignedTransaction({ additions: [{ puzzleHash: ALICE, amount: XCH }], fee: 3n, coins: [a, b], push: true })).signedTxs[0]!;
    chain.farmBlock();
    expect(await chain.getCoinRecordsByNames(tx.additions.map(coinId))).toHaveLength(2);
  });
});
