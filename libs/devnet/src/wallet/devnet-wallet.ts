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
  hexToBytes,
  normalizeCoin,
  sha256,
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

/**
 * How the wallet builds a transaction from the coins and payments it is given:
 * - 'chia': as Chia's standard wallet does (see DevnetWallet.build): one input creates every output, the payments
 *   in the order asked, then the change, which goes to a fresh address of the wallet unless `reuse_puzhash`;
 * - 'shuffled': anything a wallet may do: the input that creates the outputs, the order of the coin spends and of
 *   the outputs are random, and change always goes to a fresh address. A pool that presumes any of these is caught.
 */
export type WalletBehaviour = 'chia' | 'shuffled';

export interface DevnetWalletOptions {
  /** Makes the wallet's puzzle hash unique; default "pool-wallet". */
  tag?: string;
  /** The fingerprint of the wallet's one key (its keychain), logged in from the start; default 1234567890. */
  fingerprint?: number;
  /** Default 'chia'. */
  behaviour?: WalletBehaviour;
  /** Randomness of the 'shuffled' behaviour (default Math.random). */
  random?: () => number;
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
 * The pool's wallet on the devnet, behind the WalletRpc port. Its addresses are key-less conditions puzzles
 * (chain/devnet-puzzles.ts: the solution is the condition list, so no keys or signatures are involved; the real
 * wallet uses the standard transaction puzzle and signs): the first (`puzzleHash`, where the pool absorbs rewards)
 * and one fresh address per change coin, derived from the tag as Chia derives new puzzle hashes from its key. Coin
 * selection is largest-first over the unspent coins not already used by a pending transaction, honouring the
 * TxConfig filters. How a transaction is built from its coins is the `behaviour` (see build). Transactions reach
 * the chain's mempool at once and confirm with the next block; confirmation is read from the chain each time, so a
 * reorg unconfirms and re-confirms them as the chain changes.
 */
export class DevnetWallet implements WalletRpc {
  readonly puzzleHash: Hex;
  readonly behaviour: WalletBehaviour;
  private readonly tag: string;
  private readonly random: () => number;
  /** Every address of the wallet (puzzle hash -> its puzzle); the first is `puzzleHash`. */
  private readonly addresses = new Map<Hex, Program>();
  /** The key of its keychain: the only one `logIn` accepts. */
  readonly fingerprint: number;
  /** The key logged in (Chia's wallet starts with the last one used; null after logging in failed). */
  private loggedIn: number | null;
  private readonly transactions = new Map<Hex, StoredTransaction>();

  constructor(
    private readonly chain: DevnetChain,
    options: DevnetWalletOptions = {},
  ) {
    this.tag = options.tag ?? 'pool-wallet';
    const first = conditionsPuzzle(this.tag);
    this.puzzleHash = first.hashHex();
    this.addresses.set(this.puzzleHash, first);
    this.fingerprint = options.fingerprint ?? 1_234_567_890;
    this.loggedIn = this.fingerprint;
    this.behaviour = options.behaviour ?? 'chia';
    this.random = options.random ?? Math.random;
  }

  /** Every unspent coin of the wallet, at any of its addresses. */
  unspentCoins(): CoinRecord[] {
    return [...this.addresses.keys()].flatMap((puzzleHash) => this.chain.unspentCoinsAt(puzzleHash));
  }

  /** A puzzle hash the wallet has not used yet (Chia: the next derivation of its key). */
  private freshPuzzleHash(): Hex {
    const puzzle = conditionsPuzzle(`${this.tag}/${this.addresses.size}`);
    const puzzleHash = puzzle.hashHex();
    this.addresses.set(puzzleHash, puzzle);
    return puzzleHash;
  }

  /** Devnet faucet: a coin of `amount` for this wallet, confirmed in the next block. */
  fund(amount: bigint): Coin {
    return this.chain.mint(this.puzzleHash, amount);
  }

  /**
   * As `log_in` of chia/wallet/wallet_rpc_api.py (2.7.3): the key already logged in answers at once; any other is
   * started from the keychain, and a fingerprint the keychain does not hold is refused after the running key was
   * stopped, so the wallet is then logged in to none.
   */
  async logIn(fingerprint: number): Promise<number> {
    if (this.loggedIn === fingerprint) return fingerprint;
    this.loggedIn = null;
    // A plain ValueError in Chia: answered as `success: false` with this text and no structured code.
    if (fingerprint !== this.fingerprint) throw new Error(`fingerprint ${fingerprint} not found in keychain or keychain is empty`);
    this.loggedIn = fingerprint;
    return fingerprint;
  }

  /** `get_logged_in_fingerprint`: null when no key is logged in. */
  async getLoggedInFingerprint(): Promise<number | null> {
    return this.loggedIn;
  }

  async getSyncStatus(): Promise<WalletSyncStatus> {
    return { synced: true, syncing: false, genesisInitialized: true };
  }

  async getHeightInfo(): Promise<number> {
    return this.chain.peakHeight();
  }

  async getWalletBalance(walletId: number): Promise<WalletBalance> {
    this.checkWalletId(walletId);
    const coins = this.unspentCoins();
    const confirmed = sum(coins.map((record) => record.coin.amount));
    const pending = this.pendingTransactions();
    const pendingRemovalIds = new Set(pending.flatMap((tx) => tx.record.removals.map(coinId)));
    const pendingRemovals = coins.filter((record) => pendingRemovalIds.has(coinId(record.coin)));
    const pendingChange = sum(pending.flatMap((tx) => tx.record.additions.filter((coin) => this.addresses.has(coin.puzzleHash)).map((coin) => coin.amount)));
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

  /**
   * Builds one transaction as Chia's standard wallet does (chia/wallet/wallet.py, `_generate_unsigned_transaction`,
   * called by `create_signed_transaction` in chia/wallet/wallet_rpc_api.py at 2.7.3):
   * - two identical payments (same puzzle hash and amount) are refused: they would be one coin;
   * - one input, the origin, creates every output: the payments in the order asked, then the change (the inputs less
   *   the payments and the fee), with RESERVE_FEE and a coin announcement of the spent coins' and new coins' ids;
   *   Chia takes the coins as a set, so which one is the origin is not the caller's to know (here: the smallest coin
   *   id in 'chia', a random one in 'shuffled');
   * - every other input only asserts that announcement, so no input can be spent without the others;
   * - change goes to a fresh address of the wallet, or, with `reuse_puzhash`, to its current one, unless that would
   *   duplicate a payment (then a fresh one); 'shuffled' always picks a fresh one and shuffles outputs and spends.
   */
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
    if (new Set(outputs.map((o) => `${o.puzzleHash}/${o.amount}`)).size !== outputs.length) {
      throw new DevnetChainError('INVALID_REQUEST', 'Cannot create two identical coins');
    }
    const paid = sum(outputs.map((output) => output.amount));
    const given = coins === undefined ? this.selectCoins(paid + fee, txConfig) : this.checkGivenCoins(coins, push);
    const change = sum(given.map((coin) => coin.amount)) - paid - fee;
    if (change < 0n) throw new DevnetChainError('INSUFFICIENT_FUNDS', `the given coins do not cover ${paid + fee} mojos`);

    const shuffled = this.behaviour === 'shuffled';
    const ordered = shuffled ? this.shuffle(given) : [...given].sort((a, b) => (coinId(a) < coinId(b) ? -1 : 1));
    const origin = ordered[0];
    const originId = coinId(origin);
    const created = outputs.map((output) => ({ parentCoinInfo: originId, puzzleHash: output.puzzleHash, amount: output.amount, memos: output.memos }));
    if (change > 0n) {
      const reuse = txConfig?.reusePuzhash === true && !shuffled && !outputs.some((o) => o.puzzleHash === this.puzzleHash && o.amount === change);
      created.push({ parentCoinInfo: originId, puzzleHash: reuse ? this.puzzleHash : this.freshPuzzleHash(), amount: change, memos: [] });
    }
    const outputsInOrder = shuffled ? this.shuffle(created) : created;
    const message = sha256(...[...ordered.map(coinId), ...outputsInOrder.map(coinId)].map((id) => hexToBytes(id)));
    const announcement = sha256(hexToBytes(originId), message);
    const originConditions = [
      ...extraConditions,
      conditionProgram(ConditionOpcode.CREATE_COIN_ANNOUNCEMENT, Program.fromBytes(message)),
      ...outputsInOrder.map((output) => createCoinCondition(output.puzzleHash, output.amount, output.memos)),
      ...(fee > 0n ? [conditionProgram(ConditionOpcode.RESERVE_FEE, Program.fromBigInt(fee))] : []),
    ];
    const spends = ordered.map((coin, index) => ({
      coin,
      puzzleReveal: this.puzzleOf(coin).serializeHex(),
      solution: clvmList(index === 0 ? originConditions : [conditionProgram(ConditionOpcode.ASSERT_COIN_ANNOUNCEMENT, Program.fromBytes(announcement))]).serializeHex(),
    }));
    const bundle: SpendBundle = { coinSpends: shuffled ? this.shuffle(spends) : spends, aggregatedSignature: G2_INFINITY_HEX };
    const newCoins = outputsInOrder.map(({ parentCoinInfo, puzzleHash, amount }) => ({ parentCoinInfo, puzzleHash, amount }));
    const memos: Record<Hex, Hex[]> = {};
    for (const output of outputsInOrder) {
      if (output.memos.length > 0) memos[coinId(output)] = output.memos.map((memo) => Buffer.from(memo).toString('hex'));
    }
    const record: TransactionRecord = {
      name: spendBundleName(bundle),
      confirmed: false,
      confirmedAtHeight: 0,
      createdAtTime: Math.floor(this.chain.clock.now() / 1000),
      // Chia names the first addition of the bundle as the transaction's destination.
      toPuzzleHash: newCoins[0]!.puzzleHash,
      toAddress: null,
      amount: paid,
      feeAmount: fee,
      sent: 0,
      spendBundle: bundle,
      additions: newCoins,
      removals: bundle.coinSpends.map((s) => s.coin),
      walletId: STANDARD_WALLET_ID,
      sentTo: [],
      tradeId: null,
      type: OUTGOING_TX,
      memos,
    };
    return { record, bundle };
  }

  private puzzleOf(coin: Coin): Program {
    const puzzle = this.addresses.get(coin.puzzleHash);
    if (puzzle === undefined) throw new DevnetChainError('INVALID_REQUEST', `coin ${coinId(coin)} is not a coin of this wallet`);
    return puzzle;
  }

  /** Fisher-Yates with the wallet's randomness. */
  private shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** Largest coins first until the target is covered, skipping coins a pending transaction already spends. */
  private selectCoins(target: bigint, config: TxConfig = {}): Coin[] {
    const busy = new Set(this.pendingTransactions().flatMap((tx) => tx.record.removals.map(coinId)));
    const excludedIds = new Set((config.excludedCoinIds ?? []).map((id) => id.toLowerCase().replace(/^0x/, '')));
    const excludedAmounts = new Set(config.excludedCoinAmounts ?? []);
    const candidates = this.unspentCoins()
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
   * Given coins are all spent (Chia's `coins`: a set, whose order says nothing). Like Chia's wallet, signing without
   * pushing takes any coin of this wallet, spent or not. Pushing needs unspent coins; the chain refuses a double spend.
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
      if (record === undefined || !this.addresses.has(coin.puzzleHash)) {
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
