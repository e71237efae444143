import {
  farmersTotal,
  payoutWorkflow,
  watchedCoinIds,
  type ObservedCoin,
  type PayoutPolicy,
  type PayoutStep,
  type SagaPayout,
} from '@pool/domain';
import { formatXch } from './payout-status';

const strip0x = (hex: string): string => (hex.startsWith('0x') ? hex.slice(2) : hex).toLowerCase();

/** What the node says of a payout's coins: every recorded created coin and planned input it found, and its peak. */
export interface PayoutChainLook {
  coins: ReadonlyMap<string, ObservedCoin>;
  peak: number;
  paused: boolean;
  now: number;
}

export interface PayoutShowTransaction {
  index: number;
  plannedFee: string;
  inputCoinIds: string[];
  payments: { puzzleHash: string; amount: string }[];
  /** Transaction ids of every signed version (the first signing, then each fee bump). */
  versions: string[];
  /** Created coins of its versions; `onChain` null without a node. */
  createdCoins: { coinId: string; onChain: boolean | null }[];
  /** Whether one version's coins are all on chain (null: no node asked). */
  landed: boolean | null;
}

export interface PayoutShowAllocation {
  launcherId: string;
  puzzleHash: string;
  amount: string;
  /** The planned transaction that pays it. */
  transaction: number | null;
  /** paid: its transaction is confirmed or declared landed; owed: not paid yet; returned: back in the farmer's balance. */
  state: 'paid' | 'owed' | 'returned';
}

/** `poolctl payouts show <id>`: where one payout stands and what the saga will do next. */
export interface PayoutShow {
  payoutId: string;
  sequence: number;
  status: SagaPayout['status'];
  signed: boolean;
  sent: boolean;
  bumped: number;
  attempts: number;
  lastFailure: string | null;
  resolution: SagaPayout['resolution'];
  toFarmers: string;
  transactions: PayoutShowTransaction[];
  allocations: PayoutShowAllocation[];
  /** What the saga does at its next run (from the payout workflow: the same decisions the worker executes). */
  next: string[];
}

function allocationState(payout: SagaPayout, launcherId: string): PayoutShowAllocation['state'] {
  if (payout.status === 'confirmed') return 'paid';
  if (payout.status === 'abandoned') return 'returned';
  if (payout.status === 'part-paid') return payout.resolution?.settled.launcherIds.includes(launcherId) ? 'paid' : 'returned';
  return 'owed';
}

/** One workflow step in the operator's words. */
export function describeStep(step: PayoutStep, payoutId: string): string {
  switch (step.type) {
    case 'SignPayout':
      return 'have the wallet sign the planned transactions and record them (nothing of it was pushed yet)';
    case 'RecordSentFromChain':
      return 'record it as sent: its coins are on chain';
    case 'RecordPayoutSent':
      return `record transactions ${step.transactionIds.join(', ')} as sent`;
    case 'BumpFee':
      return `re-sign transactions ${step.transactions.join(', ')} with a higher fee (waited ${step.waitedBlocks} blocks) and push them as replacements`;
    case 'ConfirmPayout':
      return `record it confirmed at height ${step.confirmedHeight}`;
    case 'FailPayout':
      return `record attempt ${step.attempt} failed: ${step.reason}`;
    case 'SendPayout': {
      const pending = step.landed.flatMap((landed, i) => (landed ? [] : [i]));
      return `push the recorded bundles of transactions ${pending.join(', ')} again`;
    }
    case 'PushAgain':
      return `push transactions ${step.transactions.join(', ')} again (a reorg took their coins)`;
    case 'HoldNewPayouts':
      return step.why === 'partly-landed'
        ? `plan no new payout: part of it landed; decide with \`poolctl payouts resolve ${payoutId} --decision paid-in-part --landed <indices> --reason ...\``
        : step.why === 'orphaned'
          ? 'plan no new payout until its coins are back on chain'
          : 'plan no new payout until its coins are buried';
    case 'MustSpend':
      return `make the next payout spend ${step.coinIds.join(', ')}, so that it and this one can never both land`;
    case 'StopWatching':
      return 'nothing: none of its transactions can land any more';
  }
}

/** What the saga will do next: the workflow's decision on the chain's answer, or, without a node, what it depends on. */
function nextSteps(payout: SagaPayout, policy: PayoutPolicy, look: PayoutChainLook | undefined): string[] {
  const workflow = payoutWorkflow(policy);
  const id = payout.planned.payoutId;
  if (look === undefined) {
    switch (payout.status) {
      case 'planned':
      case 'sent':
        return payout.signed
          ? ['look up its recorded coins: record it confirmed when they are buried, otherwise push it again (or bump its fee when it waited too long); run with a node configured to know which']
          : ['have the wallet sign it and record the bundles, then push them'];
      case 'abandoned':
      case 'part-paid':
        return ['watch that its remaining transactions cannot land (the next payout spends their inputs); run with a node configured to know whether any landed'];
      case 'confirmed':
        return ['nothing, unless a reorg takes its coins (then push it again)'];
    }
  }
  const input =
    payout.status === 'planned' || payout.status === 'sent'
      ? ({ type: 'PayoutObserved', coins: look.coins, peak: look.peak, paused: look.paused, now: look.now } as const)
      : payout.status === 'confirmed'
        ? ({ type: 'ConfirmedPayoutObserved', coinsOnChain: new Set(look.coins.keys()), paused: look.paused } as const)
        : ({ type: 'AbandonedPayoutObserved', coins: look.coins, peak: look.peak, now: look.now } as const);
  const steps = workflow.decide(input, payout);
  return steps.length === 0 ? [payout.status === 'confirmed' ? 'nothing: it is paid' : 'wait (paused, or backing off after a failure)'] : steps.map((s) => describeStep(s, id));
}

export function showPayout(payout: SagaPayout, policy: PayoutPolicy, look?: PayoutChainLook): PayoutShow {
  const plan = payout.planned;
  const txOf = new Map<string, number>();
  plan.transactions.forEach((tx, i) => tx.payments.forEach((p) => txOf.set(strip0x(p.puzzleHash), i)));
  const transactions = plan.transactions.map((tx, i): PayoutShowTransaction => {
    const variants = payout.variants[i] ?? [];
    const createdCoins = [...new Set(variants.flatMap((v) => v.createdCoinIds))].map((coinId) => ({ coinId, onChain: look === undefined ? null : look.coins.has(coinId) }));
    const landed = look === undefined ? null : variants.some((v) => v.createdCoinIds.length > 0 && v.createdCoinIds.every((c) => look.coins.has(c)));
    return {
      index: i,
      plannedFee: tx.fee,
      inputCoinIds: tx.inputCoinIds,
      payments: tx.payments,
      versions: variants.flatMap((v) => (v.transactionId === null ? [] : [v.transactionId])),
      createdCoins,
      landed,
    };
  });
  const lastFailure = payout.failures[payout.failures.length - 1];
  return {
    payoutId: plan.payoutId,
    sequence: plan.sequence,
    status: payout.status,
    signed: payout.signed,
    sent: payout.everSent,
    bumped: payout.variants.reduce((n, v) => n + Math.max(0, v.filter((x) => x.bundle !== null).length - 1), 0),
    attempts: payout.failures.length,
    lastFailure: lastFailure === undefined ? null : `attempt ${lastFailure.attempt}: ${lastFailure.reason}`,
    resolution: payout.resolution,
    toFarmers: farmersTotal(plan).toString(),
    transactions,
    allocations: plan.allocations.map((a) => ({
      launcherId: a.launcherId,
      puzzleHash: a.puzzleHash,
      amount: a.amount,
      transaction: txOf.get(strip0x(a.puzzleHash)) ?? null,
      state: allocationState(payout, a.launcherId),
    })),
    next: nextSteps(payout, policy, look),
  };
}

/** The coin ids to ask the node for: every recorded created coin and every planned input. */
export function coinsToLookUp(payout: SagaPayout): string[] {
  return [...new Set([...watchedCoinIds(payout), ...payout.planned.transactions.flatMap((tx) => tx.inputCoinIds)])];
}

export function formatPayoutShow(show: PayoutShow): string[] {
  const lines = [
    `payout ${show.payoutId} (sequence ${show.sequence}): ${show.status}; ${show.signed ? 'signed' : 'not signed'}, ${show.sent ? 'sent' : 'never sent'}` +
      `${show.bumped > 0 ? `, fee bumped ${show.bumped} time(s)` : ''}, ${show.attempts} failed attempt(s)`,
    `to farmers: ${formatXch(BigInt(show.toFarmers))} XCH`,
  ];
  if (show.lastFailure !== null) lines.push(`last failure: ${show.lastFailure}`);
  if (show.resolution !== null) {
    const landed = show.resolution.decision === 'paid-in-part' ? ` (landed: ${show.resolution.landedTransactions.join(', ')})` : '';
    lines.push(`resolved by operator: ${show.resolution.decision}${landed}: ${show.resolution.reason}`);
  }
  for (const tx of show.transactions) {
    const landed = tx.landed === null ? 'landed: unknown (no node)' : tx.landed ? 'LANDED' : 'not on chain';
    lines.push(`transaction ${tx.index}: ${tx.payments.length} payment(s), fee ${tx.plannedFee}, inputs ${tx.inputCoinIds.join(',')}; versions ${tx.versions.join(',') || '-'}; ${landed}`);
    for (const coin of tx.createdCoins) lines.push(`  coin ${coin.coinId}${coin.onChain === null ? '' : coin.onChain ? ' on chain' : ' absent'}`);
  }
  lines.push(['farmer', 'puzzle hash', 'XCH', 'transaction', 'state'].join('\t'));
  for (const a of show.allocations) lines.push([a.launcherId, a.puzzleHash, formatXch(BigInt(a.amount)), a.transaction ?? '-', a.state].join('\t'));
  for (const step of show.next) lines.push(`next: ${step}`);
  return lines;
}
