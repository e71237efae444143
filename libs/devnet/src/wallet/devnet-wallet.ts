import { Program } from 'clvm-lib';
import {
  type Coin,
  type CoinRecord,
  type CreateSignedTransactionRequest,
  type CreateSignedTransactionResult,
  type Hex,
  type JsonValue,
  type PaymentAddition,
  type SendTransactionMultiRequest,
  type SendTransactionResult,
  type SpendBundle,
  type TransactionRecord,
  type TxConfig,
  type WalletBalance,
  type WalletRpc,
  type WalletSyncStatus,
  G2_INFINITY_HEX,
  coinId,
  normalizeCoin,
  spendBundleName,
} from '@pool/chia';
import {
  ConditionOpcode,
  DevnetChainError,
  type DevnetChain,
  clvmList,
  conditionProgram,
  conditionsPuzzle,
  createCoinCondition,
} from '../chain';

export interface DevnetWalletOptions {
  /** Makes the wallet's puzzle hash unique; default "pool-wallet". */
  tag?: string;
  /** What `logIn` and the balance report; default 1234567890. */
  fingerprint?: number;
}

/** The standard wallet's id and type (WalletType.STANDARD_WALLET = 0). */
const STANDARD_WALLET_ID = 1;
const STANDARD_WALLET_TYPE = 0;
/** TransactionType.OUTGOING_TX. */
const OUTGOING_TX = 1;
/** MempoolInclusionStatus.SUCCESS. */
const MEMPOOL_SUCCESS = 1;

interface StoredTransaction {
  record: TransactionRecord;
  /** The coin spends of this transaction, to tell our spend from a conflicting one. */
  bundle: SpendBundle;
}

interface BuiltTransaction {
  record: TransactionRecord;
  bundle: SpendBundle;
}

/**
 * The pool's wallet on the devnet, behind the WalletRpc port. It owns the coins at one key-less conditions
 * puzzle (chain/devnet-puzzles.ts: the solution is the condition list, so no keys or signatures are involved;
 * the real wallet uses the standard transaction puzzle and signs). Coin selection is largest-first over the
 * unspent coins not already used by a pending transaction, honouring the TxConfig filters; change goes back to
 * the same puzzle hash. The first coin spent carries every output, RESERVE_FEE and any extra conditions.
 * Transactions reach the chain's mempool at once and confirm with the next block; confirmation is read from the
 * chain each time, so a reorg unconfirms and re-confirms them as the chain changes.
 */
export class DevnetWallet implements WalletRpc {
  readonly puzzleHash: Hex;
  private readonly puzzle: Program;
  private fingerprint: number;
  private readonly transactions = new Map<Hex, StoredTransaction>();

  constructor(
    private readonly chain: DevnetChain,
    options: DevnetWalletOptions = {},
  ) {
    this.puzzle = conditionsPuzzle(options.tag ?? 'pool-wallet');
    this.puzzleHash = this.puzzle.hashHex();
    this.fingerprint = options.fingerprint ?? 1_234_567_890;
  }

  /** Devnet faucet: a coin of `amount` for this wallet, confirmed in the next block. */
  fund(amount: bigint): Coin {
    return this.chain.mint(this.puzzleHash, amount);
  }

  async logIn(fingerprint: number): Promise<number> {
    this.fingerprint = fingerprint;
    return fingerprint;
  }

  async getSyncStatus(): Promise<WalletSyncStatus> {
    return { synced: true, syncing: false, genesisInitialized: true };
  }

  async getHeightInfo(): Promise<number> {
    return this.chain.peakHeight();
  }

  async getWalletBalance(walletId: number): Promise<WalletBalance> {
    this.checkWalletId(walletId);
    const coins = this.chain.unspentCoinsAt(this.puzzleHash);
    const confirmed = sum(coins.map((record) => record.coin.amount));
    const pending = this.pendingTransactions();
    const pendingRemovalIds = new Set(pending.flatMap((tx) => tx.record.removals.map(coinId)));
    const pendingRemovals = coins.filter((record) => pendingRemovalIds.has(coinId(record.coin)));
    const pendingChange = sum(
      pending.flatMap((tx) => tx.record.additions.filter((coin) => coin.puzzleHash === this.puzzleHash).map((coin) => coin.amount)),
    );
    const spendable = confirmed - sum(pendingRemovals.map((record) => record.coin.amount));
    return {
      walletId,
      walletType: STANDARD_WALLET_TYPE,
      confirmedWalletBalance: confirmed,
      unconfirmedWalletBalance: spendable + pendingChange,
      spendableBalance: spendable,
      pendingChange,
      maxSendAmount: spendable,
      unspentCoinCount: coins.length,
      pendingCoinRemovalCount: pendingRemovals.length,
      fingerprint: this.fingerprint,
      assetId: null,
      pendingApprovalBalance: null,
    };
  }

  async sendTransactionMulti(request: SendTransactionMultiRequest): Promise<SendTransactionResult> {
    this.checkWalletId(request.walletId);
    const push = request.push ?? true;
    const built = this.build(request.additions, request.fee, request.coins, request.txConfig, [], push);
    this.submit(built, push);
    return { transaction: built.record, transactionId: built.record.name, transactions: [built.record] };
  }

  async getTransaction(transactionId: Hex): Promise<TransactionRecord | null> {
    const stored = this.transactions.get(transactionId.toLowerCase().replace(/^0x/, ''));
    return stored === undefined ? null : this.withConfirmation(stored);
  }

  async createSignedTransaction(request: CreateSignedTransactionRequest): Promise<CreateSignedTransactionResult> {
    if (request.walletId !== undefined) this.checkWalletId(request.walletId);
    const extra = (request.extraConditions ?? []).map(conditionFromJson);
    const push = request.push ?? false;
    const built = this.build(request.additions, request.fee, request.coins, request.txConfig, extra, push);
    this.submit(built, push);
    return { signedTxs: [built.record], transactions: [built.record] };
  }

  private submit(built: BuiltTransaction, push: boolean): void {
    if (!push) return;
    this.chain.addToMempool(built.bundle);
    built.record.sent = 1;
    built.record.sentTo = [{ peer: 'devnet-full-node', status: MEMPOOL_SUCCESS, error: null }];
    this.transactions.set(built.record.name, { record: built.record, bundle: built.bundle });
  }

  private build(
    additions: PaymentAddition[],
    fee: bigint,
    coins: Coin[] | undefined,
    txConfig: TxConfig | undefined,
    extraConditions: Program[],
    push: boolean,
  ): BuiltTransaction {
    if (additions.length === 0) throw new DevnetChainError('INVALID_REQUEST', 'a transaction needs at least one addition');
    if (fee < 0n) throw new DevnetChainError('INVALID_REQUEST', 'fee must not be negative');
    const outputs = additions.map((addition) => ({
      puzzleHash: addition.puzzleHash.toLowerCase().replace(/^0x/, ''),
      amount: addition.amount,
      memos: (addition.memos ?? []).map((memo) => new Uint8Array(Buffer.from(memo, 'utf8'))),
    }));
    const paid = sum(outputs.map((output) => output.amount));
    const selected = coins === undefined ? this.selectCoins(paid + fee, txConfig) : this.checkGivenCoins(coins, push);
    const change = sum(selected.map((coin) => coin.amount)) - paid - fee;
    if (change < 0n) throw new DevnetChainError('INSUFFICIENT_FUNDS', `the given coins do not cover ${paid + fee} mojos`);

    const conditions = outputs.map((output) => createCoinCondition(output.puzzleHash, output.amount, output.memos));
    if (change > 0n) conditions.push(createCoinCondition(this.puzzleHash, change));
    if (fee > 0n) conditions.push(conditionProgram(ConditionOpcode.RESERVE_FEE, Program.fromBigInt(fee)));
    conditions.push(...extraConditions);
    const bundle: SpendBundle = {
      coinSpends: selected.map((coin, index) => ({
        coin,
        puzzleReveal: this.puzzle.serializeHex(),
        solution: clvmList(index === 0 ? conditions : []).serializeHex(),
      })),
      aggregatedSignature: G2_INFINITY_HEX,
    };
    const firstId = coinId(selected[0]);
    const created = outputs.map((output) => ({ parentCoinInfo: firstId, puzzleHash: output.puzzleHash, amount: output.amount }));
    if (change > 0n) created.push({ parentCoinInfo: firstId, puzzleHash: this.puzzleHash, amount: change });
    const memos: Record<Hex, Hex[]> = {};
    outputs.forEach((output, index) => {
      if (output.memos.length > 0) memos[coinId(created[index])] = output.memos.map((memo) => Buffer.from(memo).toString('hex'));
    });
    const record: TransactionRecord = {
      name: spendBundleName(bundle),
      confirmed: false,
      confirmedAtHeight: 0,
      createdAtTime: Math.floor(this.chain.clock.now() / 1000),
      toPuzzleHash: outputs[0].puzzleHash,
      toAddress: null,
      amount: paid,
      feeAmount: fee,
      sent: 0,
      spendBundle: bundle,
      additions: created,
      removals: selected,
      walletId: STANDARD_WALLET_ID,
      sentTo: [],
      tradeId: null,
      type: OUTGOING_TX,
      memos,
    };
    return { record, bundle };
  }

  /** Largest coins first until the target is covered, skipping coins a pending transaction already spends. */
  private selectCoins(target: bigint, config: TxConfig = {}): Coin[] {
    const busy = new Set(this.pendingTransactions().flatMap((tx) => tx.record.removals.map(coinId)));
    const excludedIds = new Set((config.excludedCoinIds ?? []).map((id) => id.toLowerCase().replace(/^0x/, '')));
    const excludedAmounts = new Set(config.excludedCoinAmounts ?? []);
    const candidates = this.chain
      .unspentCoinsAt(this.puzzleHash)
      .map((record) => record.coin)
      .filter((coin) => !busy.has(coinId(coin)) && !excludedIds.has(coinId(coin)) && !excludedAmounts.has(coin.amount))
      .filter((coin) => coin.amount >= (config.minCoinAmount ?? 0n) && (config.maxCoinAmount === undefined || coin.amount <= config.maxCoinAmount))
      .sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1));
    const chosen: Coin[] = [];
    let total = 0n;
    for (const coin of candidates) {
      if (total >= target && chosen.length > 0) break;
      chosen.push(coin);
      total += coin.amount;
    }
    if (total < target || chosen.length === 0) {
      throw new DevnetChainError('INSUFFICIENT_FUNDS', `can't send more than ${total} mojos in one transaction (asked ${target})`);
    }
    return chosen;
  }

  /**
   * Given coins are spent in the order given (the first is the parent of every output, so the caller knows the
   * new coin ids before signing). Like Chia's wallet, signing without pushing takes any coin of this wallet, spent
   * or not: the same coins and additions always give the same spend bundle, which lets a caller learn the id of a
   * transaction it pushed before a crash. Pushing needs unspent coins; the chain refuses a double spend.
   */
  private checkGivenCoins(coins: Coin[], push: boolean): Coin[] {
    if (coins.length === 0) throw new DevnetChainError('INVALID_REQUEST', 'coins must not be empty');
    const seen = new Set<Hex>();
    return coins.map((raw) => {
      const coin = normalizeCoin(raw);
      const id = coinId(coin);
      if (seen.has(id)) throw new DevnetChainError('INVALID_REQUEST', `coin ${id} is given twice`);
      seen.add(id);
      const record: CoinRecord | undefined = this.chain.coinRecord(id);
      if (record === undefined || coin.puzzleHash !== this.puzzleHash) {
        throw new DevnetChainError('INVALID_REQUEST', `coin ${id} is not a coin of this wallet`);
      }
      if (push && record.spent) throw new DevnetChainError('DOUBLE_SPEND', `coin ${id} is already spent`);
      return coin;
    });
  }

  private pendingTransactions(): StoredTransaction[] {
    return [...this.transactions.values()].filter((tx) => !this.withConfirmation(tx).confirmed);
  }

  /** Confirmed when the chain spent our first coin with our spend; the height is that spend's block. */
  private withConfirmation(stored: StoredTransaction): TransactionRecord {
    const first = stored.bundle.coinSpends[0];
    const id = coinId(first.coin);
    const record = this.chain.coinRecord(id);
    const spend = this.chain.coinSpend(id);
    const confirmed = record !== undefined && record.spent && spend !== undefined && spend.solution === first.solution;
    stored.record.confirmed = confirmed;
    stored.record.confirmedAtHeight = confirmed ? record.spentBlockIndex : 0;
    return { ...stored.record };
  }

  private checkWalletId(walletId: number): void {
    if (walletId !== STANDARD_WALLET_ID) throw new DevnetChainError('WALLET_NOT_FOUND', `wallet ${walletId} not found`);
  }
}

function sum(values: bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}

/**
 * Chia's condition JSON `{"opcode": n, "args": {...}}` as a CLVM condition: the opcode, then the argument values
 * in the order given (hex strings as bytes, numbers and numeric strings as integers).
 */
function conditionFromJson(json: JsonValue): Program {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new DevnetChainError('INVALID_REQUEST', 'an extra condition must be {"opcode": ..., "args": {...}}');
  }
  const opcode = json.opcode;
  if (typeof opcode !== 'number' && typeof opcode !== 'bigint') throw new DevnetChainError('INVALID_REQUEST', 'condition opcode must be a number');
  const args = json.args;
  const values = args !== null && typeof args === 'object' && !Array.isArray(args) ? Object.values(args) : [];
  return conditionProgram(
    BigInt(opcode),
    ...values.map((value) => {
      if (typeof value === 'number' || typeof value === 'bigint') return Program.fromBigInt(BigInt(value));
      if (typeof value === 'string') {
        const hex = value.replace(/^0x/i, '');
        if (/^([0-9a-fA-F]{2})+$/.test(hex)) return Program.fromBytes(new Uint8Array(Buffer.from(hex, 'hex')));
        return Program.fromText(value);
      }
      throw new DevnetChainError('INVALID_REQUEST', 'condition arguments must be numbers or hex strings');
    }),
  );
}
