import { ChiaRpcError, coinId, type CoinRecord, type FullNodeRpc, spendBundleName, type WalletRpc } from '@pool/chia';
import { checkSignedTransaction, inputRefusal, type PayoutCommitment, type ObservedCoin, type PayoutPlanned, type PayoutTransaction, type RecordedSpendBundle, type SignedPayoutTransaction } from '@pool/domain';
import { recordSpendBundle, spendBundleEffects, spendBundleOf } from './spend-bundle-effects';

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

/** A recorded bundle, ready to push. */
export interface SignedTransaction {
  id: string;
  bundle: RecordedSpendBundle;
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

/** The payout saga's hands on the chain and the wallet: look coins up, have the planned spends signed, push them. */
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
  async checkInputsUnspent(txs: readonly Pick<PayoutTransaction, 'inputCoinIds'>[]): Promise<void> {
    const ids = txs.flatMap((tx) => tx.inputCoinIds);
    const refusal = inputRefusal(ids, observedCoins(await this.coins(ids)));
    if (refusal !== null) throw new SendRefused(refusal.message, refusal.final);
  }

  /**
   * Has the wallet sign each planned transaction without pushing it: the planned coins (all of them, so it is
   * mutually exclusive with anything else that spends one) and the planned payments and fee. Which input creates the
   * outputs, their order and where change goes are the wallet's business: what the bundle does is read from the
   * bundle itself (spendBundleEffects) and checked against the plan (checkSignedTransaction), the check the decider and
   * the audit make too. A wallet that built something else is refused here, before anything is recorded or pushed.
   * Chia's wallet signs a given coin set whether or not its coins are spent, so a plan of schema 1 that landed
   * unrecorded can be named (`allowSpentInputs`). With a `commitment`, each transaction's first payment carries its
   * memo (Chia's wallet takes memos as text and writes their UTF-8 bytes), and a bundle that lost it is refused.
   */
  async sign(
    plan: PayoutPlanned['data'],
    options: { allowSpentInputs: boolean; fees?: ReadonlyMap<number, bigint>; commitment?: PayoutCommitment | null },
  ): Promise<SignedPayoutTransaction[]> {
    const memo = options.commitment?.memo;
    const txs = plan.transactions;
    // With `fees`, only those transactions are signed (again), each with its new fee: a fee bump.
    const chosen = [...txs.entries()].filter(([index]) => options.fees === undefined || options.fees.has(index));
    const coins = new Map([...(await this.coins(chosen.flatMap(([, tx]) => tx.inputCoinIds)))].filter(([, record]) => !record.spent || options.allowSpentInputs).map(([id, record]) => [id, record.coin]));
    const signed: SignedPayoutTransaction[] = [];
    for (const [index, tx] of chosen) {
      const inputs = tx.inputCoinIds.map((id) => {
        const coin = coins.get(id);
        if (coin === undefined) throw new SendRefused(`input coin ${id} is not an unspent coin on chain`, false);
        return coin;
      });
      // Sent as Chia's create_signed_transaction takes them (wallet_rpc_api.py): the coins as a set, the payments as
      // additions (the first is `amount_0`), no change preference, push false: the wallet's own defaults decide the rest.
      const result = await this.wallet.createSignedTransaction({
        walletId: STANDARD_WALLET_ID,
        additions: tx.payments.map((p, i) => ({ puzzleHash: p.puzzleHash, amount: BigInt(p.amount), ...(i === 0 && memo !== undefined ? { memos: [memo] } : {}) })),
        fee: options.fees?.get(index) ?? BigInt(tx.fee),
        coins: inputs,
        push: false,
      });
      const record = result.signedTxs.length === 1 ? result.signedTxs[0]! : undefined;
      if (record === undefined || record.spendBundle === null) {
        throw new SendRefused(`the wallet answered with ${result.signedTxs.length} transaction(s) instead of one spend bundle`, false);
      }
      const bundle = record.spendBundle;
      let effects: ReturnType<typeof spendBundleEffects>;
      try {
        effects = spendBundleEffects(bundle);
      } catch (error) {
        throw new SendRefused(`the wallet's spend bundle cannot be read: ${(error as Error).message}`, false);
      }
      const spent = effects.spentCoins.reduce((sum, c) => sum + BigInt(c.amount), 0n);
      const created = effects.createdCoins.reduce((sum, c) => sum + BigInt(c.amount), 0n);
      const transaction: SignedPayoutTransaction = {
        index,
        transactionId: spendBundleName(bundle),
        spendBundle: recordSpendBundle(bundle),
        ...effects,
        fee: (spent - created).toString(),
      };
      const problem = checkSignedTransaction(tx, transaction, plan.poolFee.puzzleHash, memo);
      if (problem !== null) throw new SendRefused(`the wallet's transaction ${index} ${problem}`, false);
      signed.push(transaction);
    }
    return signed;
  }

  /** Pushing the same bundle again is harmless: a node takes it once. */
  async push(signed: SignedTransaction): Promise<void> {
    const result = await this.chain.pushTx(spendBundleOf(signed.bundle));
    if (result.status !== 'SUCCESS' && result.status !== 'PENDING') throw new SendRefused(`node answered ${result.status} for ${signed.id}`, false);
  }

  async walletSynced(): Promise<boolean> {
    return (await this.wallet.getSyncStatus()).synced;
  }
}
