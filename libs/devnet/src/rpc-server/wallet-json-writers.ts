import {
  coinToJson,
  type JsonObject,
  spendBundleToJson,
  type TransactionRecord,
  type WalletBalance,
} from '@pool/chia';
import { wireHex } from '@pool/chia';

/**
 * The wallet's answers as Chia writes them (the "convenience" JSON of its TransactionRecord: memos as an
 * object keyed by `0x` coin id, `to_address` included). The inverse of `@pool/chia`'s wallet-rpc.ts readers.
 */

export function walletBalanceToJson(balance: WalletBalance): JsonObject {
  return {
    wallet_id: balance.walletId,
    wallet_type: balance.walletType,
    confirmed_wallet_balance: balance.confirmedWalletBalance,
    unconfirmed_wallet_balance: balance.unconfirmedWalletBalance,
    spendable_balance: balance.spendableBalance,
    pending_change: balance.pendingChange,
    max_send_amount: balance.maxSendAmount,
    unspent_coin_count: balance.unspentCoinCount,
    pending_coin_removal_count: balance.pendingCoinRemovalCount,
    fingerprint: balance.fingerprint,
    asset_id: balance.assetId,
    pending_approval_balance: balance.pendingApprovalBalance,
  };
}

export function transactionRecordToJson(tx: TransactionRecord): JsonObject {
  return {
    name: wireHex(tx.name, 'transaction.name', 32),
    confirmed: tx.confirmed,
    confirmed_at_height: tx.confirmedAtHeight,
    created_at_time: tx.createdAtTime,
    to_puzzle_hash: wireHex(tx.toPuzzleHash, 'transaction.to_puzzle_hash', 32),
    to_address: tx.toAddress,
    amount: tx.amount,
    fee_amount: tx.feeAmount,
    sent: tx.sent,
    spend_bundle: tx.spendBundle === null ? null : spendBundleToJson(tx.spendBundle),
    additions: tx.additions.map(coinToJson),
    removals: tx.removals.map(coinToJson),
    wallet_id: tx.walletId,
    sent_to: tx.sentTo.map((peer) => [peer.peer, peer.status, peer.error]),
    trade_id: tx.tradeId === null ? null : wireHex(tx.tradeId, 'transaction.trade_id', 32),
    type: tx.type,
    memos: memosToJson(tx.memos),
  };
}

function memosToJson(memos: Record<string, string[]>): JsonObject {
  const json: JsonObject = {};
  for (const [coinId, list] of Object.entries(memos)) {
    json[wireHex(coinId, 'transaction.memos key', 32)] = list.map((memo, i) =>
      wireHex(memo, `transaction.memos.${coinId}[${i}]`),
    );
  }
  return json;
}
