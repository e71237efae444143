import { coinToJson, readCoin, readSpendBundle } from './chain-json';
import { type Coin, type Hex, type SpendBundle } from '../chain/chain-types';
import { isNotFoundRpcError } from './chia-rpc-error';
import { type ChiaRootTlsOptions, chiaRootTlsPaths, DEFAULT_RPC_PORTS, loadTlsMaterial } from './chia-tls';
import { type JsonObject, type JsonValue } from '../util/json-bigint';
import { isJsonObject, type JsonReader, JsonShapeError, normalizeHex } from './json-reader';
import { hash32Argument, hashListArgument, uint32Argument, uint64Argument } from './rpc-arguments';
import { ChiaRpcConnection, type ChiaRpcConnectionOptions } from './rpc-connection';

export interface WalletSyncStatus {
  synced: boolean;
  syncing: boolean;
  genesisInitialized: boolean;
}

export interface WalletBalance {
  walletId: number;
  walletType: number;
  confirmedWalletBalance: bigint;
  unconfirmedWalletBalance: bigint;
  spendableBalance: bigint;
  pendingChange: bigint;
  maxSendAmount: bigint;
  unspentCoinCount: number;
  pendingCoinRemovalCount: number;
  fingerprint: number | null;
  assetId: string | null;
  pendingApprovalBalance: bigint | null;
}

export interface SentToPeer {
  peer: string;
  /** MempoolInclusionStatus: 1 SUCCESS, 2 PENDING, 3 FAILED. */
  status: number;
  error: string | null;
}

export interface TransactionRecord {
  /** Transaction id. */
  name: Hex;
  confirmed: boolean;
  /** 0 until confirmed. */
  confirmedAtHeight: number;
  createdAtTime: number;
  toPuzzleHash: Hex;
  /** Set by the wallet's convenience form; null when absent. */
  toAddress: string | null;
  amount: bigint;
  feeAmount: bigint;
  /** How many peers it was sent to. */
  sent: number;
  spendBundle: SpendBundle | null;
  additions: Coin[];
  removals: Coin[];
  walletId: number;
  sentTo: SentToPeer[];
  tradeId: Hex | null;
  /** TransactionType number (chia/wallet/util/transaction_type.py). */
  type: number;
  /** Memos per created coin id (hex without `0x`), as hex bytes. */
  memos: Record<Hex, Hex[]>;
}

/** One payment output. */
export interface PaymentAddition {
  puzzleHash: Hex;
  amount: bigint;
  /** Each memo is sent as text and the wallet stores its UTF-8 bytes (it does not decode hex). */
  memos?: string[];
}

/** Coin selection settings (Chia's TXConfig fields); anything left out takes the wallet's default. */
export interface TxConfig {
  minCoinAmount?: bigint;
  maxCoinAmount?: bigint;
  excludedCoinAmounts?: bigint[];
  excludedCoinIds?: Hex[];
  reusePuzhash?: boolean;
}

export interface SendTransactionMultiRequest {
  walletId: number;
  additions: PaymentAddition[];
  fee: bigint;
  /** Spend exactly these coins instead of letting the wallet choose. */
  coins?: Coin[];
  /** Default true: the wallet pushes the transaction itself. */
  push?: boolean;
  txConfig?: TxConfig;
}

export interface SendTransactionResult {
  transaction: TransactionRecord;
  transactionId: Hex;
  /** Every transaction the wallet made for the request (fee spends included); empty on older wallets. */
  transactions: TransactionRecord[];
}

export interface CreateSignedTransactionRequest {
  walletId?: number;
  additions: PaymentAddition[];
  fee: bigint;
  coins?: Coin[];
  /** Default false: return the signed transactions without pushing them. */
  push?: boolean;
  /** Chia's condition JSON (`{"opcode": ..., "args": {...}}`), passed through as given. */
  extraConditions?: JsonValue[];
  txConfig?: TxConfig;
}

export interface CreateSignedTransactionResult {
  signedTxs: TransactionRecord[];
  transactions: TransactionRecord[];
}

/**
 * The wallet side of the chain port: the calls a pool makes to its wallet. Implemented by WalletRpcClient
 * over HTTPS and by simulators in tests.
 */
export interface WalletRpc {
  /** Selects the key the wallet works with; returns the fingerprint now logged in. */
  logIn(fingerprint: number): Promise<number>;
  /** The key the wallet works with now; null when it is logged in to none. */
  getLoggedInFingerprint(): Promise<number | null>;
  getSyncStatus(): Promise<WalletSyncStatus>;
  /** The wallet's view of the peak height. */
  getHeightInfo(): Promise<number>;
  getWalletBalance(walletId: number): Promise<WalletBalance>;
  /** Not retried on a transport failure: a resend would pay a second time. */
  sendTransactionMulti(request: SendTransactionMultiRequest): Promise<SendTransactionResult>;
  /** null when the wallet does not know the transaction. */
  getTransaction(transactionId: Hex): Promise<TransactionRecord | null>;
  /** Retried on transport failures only when `push` is false (then nothing leaves the wallet). */
  createSignedTransaction(request: CreateSignedTransactionRequest): Promise<CreateSignedTransactionResult>;
}

export interface WalletRpcFromChiaRootOptions extends Omit<ChiaRpcConnectionOptions, 'host' | 'port' | 'tls'> {
  /** Default `localhost` (Chia's `self_hostname`). */
  host?: string;
  /** Default 9256. */
  port?: number;
  tls?: Omit<ChiaRootTlsOptions, 'service'>;
}

export class WalletRpcClient implements WalletRpc {
  constructor(private readonly connection: ChiaRpcConnection) {}

  /** A client using the certificates of a CHIA_ROOT (see chiaRootTlsPaths for the layout and overrides). */
  static fromChiaRoot(options: WalletRpcFromChiaRootOptions = {}): WalletRpcClient {
    const { host, port, tls, ...connection } = options;
    return new WalletRpcClient(
      new ChiaRpcConnection({
        ...connection,
        host: host ?? 'localhost',
        port: port ?? DEFAULT_RPC_PORTS.wallet,
        tls: loadTlsMaterial(chiaRootTlsPaths({ ...tls, service: 'wallet' })),
      }),
    );
  }

  close(): void {
    this.connection.close();
  }

  logIn(fingerprint: number): Promise<number> {
    const body = { fingerprint: uint32Argument(fingerprint, 'fingerprint') };
    return this.read('log_in', body, (r) => r.uint32('fingerprint'));
  }

  getLoggedInFingerprint(): Promise<number | null> {
    // Chia answers {"fingerprint": null} when no key is logged in.
    return this.read('get_logged_in_fingerprint', {}, (r) => r.optional('fingerprint', (x, k) => x.uint32(k)));
  }

  getSyncStatus(): Promise<WalletSyncStatus> {
    return this.read('get_sync_status', {}, (r) => ({
      synced: r.bool('synced'),
      syncing: r.bool('syncing'),
      genesisInitialized: r.has('genesis_initialized') ? r.bool('genesis_initialized') : true,
    }));
  }

  getHeightInfo(): Promise<number> {
    return this.read('get_height_info', {}, (r) => r.uint32('height'));
  }

  getWalletBalance(walletId: number): Promise<WalletBalance> {
    return this.read('get_wallet_balance', { wallet_id: uint32Argument(walletId, 'wallet_id') }, (r) =>
      readWalletBalance(r.child('wallet_balance')),
    );
  }

  sendTransactionMulti(request: SendTransactionMultiRequest): Promise<SendTransactionResult> {
    const body = {
      wallet_id: uint32Argument(request.walletId, 'wallet_id'),
      additions: request.additions.map(additionToJson),
      fee: uint64Argument(request.fee, 'fee'),
      coins: request.coins?.map(coinToJson),
      push: request.push ?? true,
      ...txConfigToJson(request.txConfig),
    };
    return this.connection.callTyped('send_transaction_multi', body, { idempotent: false }, (r) => {
      const transaction = readTransactionRecord(r.child('transaction'));
      return {
        transaction,
        transactionId: r.has('transaction_id') ? r.bytes32('transaction_id') : transaction.name,
        transactions: r.has('transactions') ? r.objects('transactions', readTransactionRecord) : [],
      };
    });
  }

  async getTransaction(transactionId: Hex): Promise<TransactionRecord | null> {
    try {
      const body = { transaction_id: hash32Argument(transactionId, 'transaction_id') };
      return await this.read('get_transaction', body, (r) =>
        readTransactionRecord(r.child('transaction')),
      );
    } catch (error) {
      if (isNotFoundRpcError(error, ['TRANSACTION_NOT_FOUND'], /not found/i)) return null;
      throw error;
    }
  }

  createSignedTransaction(request: CreateSignedTransactionRequest): Promise<CreateSignedTransactionResult> {
    const push = request.push ?? false;
    const body = {
      wallet_id: request.walletId === undefined ? undefined : uint32Argument(request.walletId, 'wallet_id'),
      additions: request.additions.map(additionToJson),
      fee: uint64Argument(request.fee, 'fee'),
      coins: request.coins?.map(coinToJson),
      extra_conditions: request.extraConditions,
      push,
      ...txConfigToJson(request.txConfig),
    };
    return this.connection.callTyped('create_signed_transaction', body, { idempotent: !push }, (r) => {
      const signed = r.has('signed_txs')
        ? r.objects('signed_txs', readTransactionRecord)
        : [readTransactionRecord(r.child('signed_tx'))];
      return {
        signedTxs: signed,
        transactions: r.has('transactions') ? r.objects('transactions', readTransactionRecord) : signed,
      };
    });
  }

  private read<T>(endpoint: string, body: object, decode: (r: JsonReader) => T): Promise<T> {
    return this.connection.callTyped(endpoint, body, { idempotent: true }, decode);
  }
}

export function readWalletBalance(r: JsonReader): WalletBalance {
  return {
    walletId: r.uint32('wallet_id'),
    walletType: r.uint32('wallet_type'),
    confirmedWalletBalance: r.uint128('confirmed_wallet_balance'),
    unconfirmedWalletBalance: r.uint128('unconfirmed_wallet_balance'),
    spendableBalance: r.uint128('spendable_balance'),
    pendingChange: r.uint64('pending_change'),
    maxSendAmount: r.uint128('max_send_amount'),
    unspentCoinCount: r.uint32('unspent_coin_count'),
    pendingCoinRemovalCount: r.uint32('pending_coin_removal_count'),
    fingerprint: r.optional('fingerprint', (x, k) => x.uint32(k)),
    assetId: r.optional('asset_id', (x, k) => x.string(k)),
    pendingApprovalBalance: r.optional('pending_approval_balance', (x, k) => x.uint128(k)),
  };
}

export function readTransactionRecord(r: JsonReader): TransactionRecord {
  return {
    name: r.bytes32('name'),
    confirmed: r.bool('confirmed'),
    confirmedAtHeight: r.uint32('confirmed_at_height'),
    createdAtTime: r.safeUint('created_at_time'),
    toPuzzleHash: r.bytes32('to_puzzle_hash'),
    toAddress: r.optional('to_address', (x, k) => x.string(k)),
    amount: r.uint64('amount'),
    feeAmount: r.uint64('fee_amount'),
    sent: r.uint32('sent'),
    spendBundle: r.optional('spend_bundle', (x, k) => readSpendBundle(x.child(k))),
    additions: r.objects('additions', readCoin),
    removals: r.objects('removals', readCoin),
    walletId: r.uint32('wallet_id'),
    sentTo: r.has('sent_to') ? r.array('sent_to', readSentTo) : [],
    tradeId: r.optional('trade_id', (x, k) => x.bytes32(k)),
    type: r.uint32('type'),
    memos: r.has('memos') ? readMemos(r.raw('memos'), r.at('memos')) : {},
  };
}

/** `[peer, status, error]` triples. */
function readSentTo(item: JsonValue, path: string): SentToPeer {
  if (!Array.isArray(item) || item.length < 2) throw new JsonShapeError(path, '[peer, status, error]', item);
  const [peer, status, error] = item;
  if (typeof peer !== 'string') throw new JsonShapeError(`${path}[0]`, 'a peer id string', peer);
  if (typeof status !== 'number' || !Number.isInteger(status)) {
    throw new JsonShapeError(`${path}[1]`, 'a status number', status);
  }
  if (error !== null && error !== undefined && typeof error !== 'string') {
    throw new JsonShapeError(`${path}[2]`, 'an error text or null', error);
  }
  return { peer, status, error: error ?? null };
}

/**
 * Memos come as `{"0xcoin_id": ["0xmemo", ...]}` from the wallet's convenience form and as
 * `[["0xcoin_id", ["0xmemo", ...]], ...]` from the plain Streamable form; both are accepted.
 */
function readMemos(value: JsonValue | undefined, path: string): Record<Hex, Hex[]> {
  const entries: [JsonValue, JsonValue][] = Array.isArray(value)
    ? value.map((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new JsonShapeError(`${path}[${i}]`, '[coin_id, memos]', pair);
        }
        return [pair[0], pair[1]];
      })
    : Object.entries(asObject(value, path));
  const memos: Record<Hex, Hex[]> = {};
  for (const [coinId, list] of entries) {
    const key = normalizeHex(coinId, `${path} key`, 32);
    if (!Array.isArray(list)) throw new JsonShapeError(`${path}.${key}`, 'a list of memos', list);
    memos[key] = list.map((memo, i) => normalizeHex(memo, `${path}.${key}[${i}]`));
  }
  return memos;
}

function asObject(value: JsonValue | undefined, path: string): JsonObject {
  if (!isJsonObject(value)) throw new JsonShapeError(path, 'an object or a list of pairs', value);
  return value;
}

function additionToJson(addition: PaymentAddition, index: number): object {
  return {
    puzzle_hash: hash32Argument(addition.puzzleHash, `additions[${index}].puzzle_hash`),
    amount: uint64Argument(addition.amount, `additions[${index}].amount`),
    memos: addition.memos,
  };
}

function txConfigToJson(config: TxConfig | undefined): object {
  if (config === undefined) return {};
  return {
    min_coin_amount: optionalUint64(config.minCoinAmount, 'min_coin_amount'),
    max_coin_amount: optionalUint64(config.maxCoinAmount, 'max_coin_amount'),
    excluded_coin_amounts: config.excludedCoinAmounts?.map((amount, i) =>
      uint64Argument(amount, `excluded_coin_amounts[${i}]`),
    ),
    excluded_coin_ids:
      config.excludedCoinIds === undefined ? undefined : hashListArgument(config.excludedCoinIds, 'excluded_coin_ids'),
    reuse_puzhash: config.reusePuzhash,
  };
}

function optionalUint64(value: bigint | undefined, name: string): bigint | undefined {
  return value === undefined ? undefined : uint64Argument(value, name);
}
