import type { PayoutAddition, PayoutPlanned, PayoutTransaction } from './payout.events';

/*
 * PayoutPlanned's schema versions, apart from the event types so that the ledger's decoder (pool-event.ts) can use
 * them without an import cycle: 1 (each transaction with the coin ids it was expected to create: `additions`,
 * `change`), 2 (each transaction with the payments it must make; the coins are recorded by PayoutSigned).
 */

/** Schema 2: a plan no longer predicts coin ids. */
export const PAYOUT_PLANNED_SCHEMA_VERSION = 2;

/** A transaction as schema 1 recorded it. */
export interface PayoutTransactionV1 {
  inputCoinIds: string[];
  additions: PayoutAddition[];
  change: PayoutAddition | null;
  fee: string;
}

type AnyPlannedData = Omit<PayoutPlanned['data'], 'transactions'> & { transactions?: (PayoutTransaction | PayoutTransactionV1)[] };

const isV1 = (tx: PayoutTransaction | PayoutTransactionV1): tx is PayoutTransactionV1 => Array.isArray((tx as PayoutTransactionV1).additions);

/**
 * A PayoutPlanned's data at any schema version, in the current shape. Decided by each transaction's shape rather than
 * the recorded version, so a reader that has only the data (the audit's raw pages) upcasts the same way: a schema 1
 * transaction pays its additions, and keeps them with their coin ids as `predicted`.
 */
export function upcastPayoutPlanned(data: AnyPlannedData): PayoutPlanned['data'] {
  const transactions = data.transactions;
  if (!Array.isArray(transactions) || !transactions.some(isV1)) return data as PayoutPlanned['data'];
  return {
    ...data,
    transactions: transactions.map((tx) =>
      isV1(tx)
        ? {
            inputCoinIds: tx.inputCoinIds,
            payments: tx.additions.map((a) => ({ puzzleHash: a.puzzleHash, amount: a.amount })),
            fee: tx.fee,
            predicted: { additions: tx.additions, change: tx.change },
          }
        : tx,
    ),
  };
}
