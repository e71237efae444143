import { ChiaRpcError, coinId, type CoinRecord, type FullNodeRpc, type SpendBundle, type WalletRpc } from '@pool/chia';
import { expectedCoinIds, inputRefusal, type ObservedCoin, type PayoutTransaction } from '@pool/domain';

/** Chia's standard wallet: the pool pays from it. */
const STANDARD_WALLET_ID = 1;

export class SendRefused extends Error {
  constructor(
    message: string,
    /** Resending the same transactions cannot succeed (an input was spent elsewhere, the wallet built other coins). */
    readonly final: boolean,
  ) {
    super(message);
  }
}

export interface SignedTransaction {
  id: string;
  bundle: SpendBundle;
}

/** Coin records as the payout workflow reads them. */
export function observedCoins(records: ReadonlyMap<string, CoinRecord>): Map<string, ObservedCoin> {
  return new Map([...records].map(([id, record]) => [id, { confirmedHeight: record.confirmedBlockIndex, spent: record.spent }]));
}

/**
 * Whether the node (or the wallet) answered before the attempt failed: a refusal we raised after its answer, an RPC
 * error answer, or the in-process devnet chain's own refusal (it throws instead of answering over RPC). Anything
 * else during a push (a timeout, a dropped connection) may have reached the node.
 */
export function pushWasAnswered(error: unknown): boolean {
  return error instanceof SendRefused || (error instanceof ChiaRpcError && error.kind === 'rpc') || (error instanceof Error && error.name === 'DevnetChainError');
}

/** The payout saga's hands on the chain and the wallet: look coins up, sign exactly the planned spends, push them. */
export class PayoutSender {
  constructor(
    private readonly chain: FullNodeRpc,
    private readonly wallet: WalletRpc,
  ) {}

  /** Coin records by id, spent ones included (none asked, none read). */
  async coins(ids: readonly string[]): Promise<Map<string, CoinRecord>> {
    if (ids.length === 0) return new Map();
    return new Map((await this.chain.getCoinRecordsByNames([...ids], { includeSpentCoins: true })).map((record) => [coinId(record.coin), record]));
  }

  /** A transaction whose coins are not there can never land: an input spent by something else (or gone in a reorg). */
  async checkInputsUnspent(txs: readonly PayoutTransaction[]): Promise<void> {
    const ids = txs.flatMap((tx) => tx.inputCoinIds);
    const refusal = inputRefusal(ids, observedCoins(await this.coins(ids)));
    if (refusal !== null) throw new SendRefused(refusal.message, refusal.final);
  }

  /**
   * Has the wallet sign each transaction with exactly its recorded coins and additions, and checks that the
   * spend bundle creates exactly the expected coins before anything can be pushed.
   */
  async signAll(txs: readonly PayoutTransaction[], options: { allowSpentInputs: boolean }): Promise<SignedTransaction[]> {
    const coins = new Map([...(await this.coins(txs.flatMap((tx) => tx.inputCoinIds)))].filter(([, record]) => !record.spent || options.allowSpentInputs).map(([id, record]) => [id, record.coin]));
    const signed: SignedTransaction[] = [];
    for (const tx of txs) {
      const inputs = tx.inputCoinIds.map((id) => {
        const coin = coins.get(id);
        if (coin === undefined) throw new SendRefused(`input coin ${id} is not an unspent coin on chain`, false);
        return coin;
      });
      const result = await this.wallet.createSignedTransaction({
        walletId: STANDARD_WALLET_ID,
        additions: tx.additions.map((a) => ({ puzzleHash: a.puzzleHash, amount: BigInt(a.amount) })),
        fee: BigInt(tx.fee),
        coins: inputs,
        push: false,
        // A real wallet otherwise sends change to a fresh address; the plan expects it back at the target.
        txConfig: { reusePuzhash: true },
      });
      const record = result.signedTxs.length === 1 ? result.signedTxs[0]! : undefined;
      if (record === undefined || record.spendBundle === null) {
        throw new SendRefused(`the wallet answered with ${result.signedTxs.length} transaction(s) instead of one spend bundle`, true);
      }
      const created = record.additions.map(coinId).sort();
      const expected = expectedCoinIds(tx).sort();
      if (created.length !== expected.length || created.some((id, i) => id !== expected[i])) {
        throw new SendRefused(`the wallet's transaction creates other coins than planned (${created.join(',')} instead of ${expected.join(',')})`, true);
      }
      signed.push({ id: record.name, bundle: record.spendBundle });
    }
    return signed;
  }

  /** Pushing the same bundle again is harmless: a node takes it once. */
  async push(signed: SignedTransaction): Promise<void> {
    const result = await this.chain.pushTx(signed.bundle);
    if (result.status !== 'SUCCESS' && result.status !== 'PENDING') throw new SendRefused(`node answered ${result.status} for ${signed.id}`, false);
  }

  async walletSynced(): Promise<boolean> {
    return (await this.wallet.getSyncStatus()).synced;
  }
}
