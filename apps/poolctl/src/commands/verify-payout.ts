import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coinWithMemos, FullNodeRpcClient, type CoinMemoNode } from '@pool/chia';
import {
  allocationsRoot,
  auditLedger,
  inclusionProblems,
  parsePayoutCommitmentMemo,
  upcastPayoutPlanned,
  type AllocationInclusion,
  type AuditEvent,
  type LedgerSealed,
  type PayoutPlanned,
} from '@pool/domain';
import type { Command } from 'commander';
import { parseLauncherId } from './connections';
import { exportRecords } from './ledger-export';

/** GET /api/farmers/{launcherId}/payouts/{payoutId}/proof, as the pool serves it. */
export type PayoutProof = AllocationInclusion & { exportUrl: string };

export interface VerifyPayoutInput {
  payoutId: string;
  launcherId: string;
  /** The pool's address, e.g. https://pool.example.com. */
  poolUrl: string;
  /** The farmer's own full node (or any node it trusts): the memo and the coins are read there. */
  node: CoinMemoNode;
  /** An export of the ledger through the payout's seal; fetched from the pool when absent. */
  exportFile?: string;
  fetch?: typeof fetch;
  print(line: string): void;
}

/** What the chain says about the payout: the memo's fields, and the farmer's coin. */
interface OnChain {
  memo: NonNullable<ReturnType<typeof parsePayoutCommitmentMemo>>;
  height: number;
}

async function fetchOk(fetcher: typeof fetch, url: string): Promise<Response> {
  const response = await fetcher(url);
  if (!response.ok) {
    const body = await response.text();
    let message = body;
    try {
      message = String((JSON.parse(body) as { message?: unknown }).message ?? body);
    } catch {
      // not JSON: the body as it is
    }
    throw new Error(`${url} answered ${response.status}: ${message}`);
  }
  return response;
}

/**
 * The farmer's payment and the memo, from the chain alone: the first signed version whose payment coin the node knows,
 * at the farmer's puzzle hash and of the planned amount, and a coin of the same block whose CREATE_COIN carries a
 * payout commitment naming this payout. Returns the problems instead when the chain does not show that.
 */
async function readChain(proof: PayoutProof, node: CoinMemoNode, print: (line: string) => void): Promise<OnChain | string[]> {
  for (const version of proof.versions) {
    const payment = await coinWithMemos(node, version.paymentCoinId);
    if (payment === null) continue;
    const coin = payment.record.coin;
    const problems: string[] = [];
    if (coin.puzzleHash !== proof.allocation.puzzleHash) problems.push(`coin ${version.paymentCoinId} pays ${coin.puzzleHash}, not the allocation's ${proof.allocation.puzzleHash}`);
    if (coin.amount !== BigInt(proof.payment.amount)) problems.push(`coin ${version.paymentCoinId} holds ${coin.amount} mojos, the payment is ${proof.payment.amount}`);
    if (BigInt(proof.allocation.amount) > coin.amount) problems.push(`the allocation of ${proof.allocation.amount} mojos is more than the coin that pays it`);
    const carrier = await coinWithMemos(node, version.memoCoinId);
    if (carrier === null) return [...problems, `the memo coin ${version.memoCoinId} is not on chain`];
    if (carrier.record.confirmedBlockIndex !== payment.record.confirmedBlockIndex) {
      problems.push(`the memo coin was confirmed at height ${carrier.record.confirmedBlockIndex}, the payment at ${payment.record.confirmedBlockIndex}: not one transaction`);
    }
    const memos = carrier.memos.map((memo) => parsePayoutCommitmentMemo(Buffer.from(memo, 'hex').toString('utf8'))).filter((memo) => memo !== null);
    const memo = memos.find((m) => m.payoutId === proof.payoutId);
    if (memo === undefined) return [...problems, `coin ${version.memoCoinId} carries no commitment of ${proof.payoutId}`];
    if (problems.length > 0) return problems;
    print(`ok   chain: coin ${version.paymentCoinId} pays ${coin.amount} mojos to ${coin.puzzleHash} (transaction ${version.transactionId}, height ${payment.record.confirmedBlockIndex})`);
    print(`ok   chain: coin ${version.memoCoinId} carries the memo "${Buffer.from(carrier.memos[0] ?? '', 'hex').toString('utf8')}"`);
    return { memo, height: payment.record.confirmedBlockIndex };
  }
  return [`none of the ${proof.versions.length} signed version(s) of transaction ${proof.payment.transactionIndex} is on chain (yet)`];
}

/**
 * The export through the payout's seal, audited offline (every plan recomputed, every seal checked against every event
 * before it), and the two facts the memo names found in it: the seal with the memo's hash, and the payout's plan whose
 * allocations make the memo's root and hold the farmer's line.
 */
async function checkExport(path: string, proof: PayoutProof, chain: OnChain, print: (line: string) => void): Promise<string[]> {
  let seal: LedgerSealed['data'] | undefined;
  let plan: PayoutPlanned['data'] | undefined;
  const records = await exportRecords(path);
  const watched = (async function* (): AsyncGenerator<readonly AuditEvent[]> {
    for await (const page of records) {
      for (const record of page) {
        if (record.type === 'LedgerSealed' && (record.data as LedgerSealed['data']).sequence === chain.memo.sealSequence) seal = record.data as LedgerSealed['data'];
        if (record.type === 'PayoutPlanned' && (record.data as PayoutPlanned['data']).payoutId === proof.payoutId) plan = upcastPayoutPlanned(record.data as PayoutPlanned['data']);
      }
      yield page;
    }
  })();
  const report = await auditLedger(watched);
  const problems: string[] = [];
  if (!report.ok) {
    const found = [...report.problems.map((p) => p.message), ...report.results.filter((r) => r.status === 'mismatch').map((r) => `${r.payoutId}: ${r.difference ?? 'mismatch'}`)];
    problems.push(...found.slice(0, 5).map((message) => `the export does not audit: ${message}`));
    if (found.length > 5) problems.push(`the export does not audit: ${found.length - 5} more problem(s) (poolctl audit --export ${path})`);
  } else print(`ok   export: audited offline, ${report.summary.events} events, ${report.summary.payouts} payout(s) recomputed, ${report.seals?.verified ?? 0} seal(s) verified`);
  if (seal === undefined) return [...problems, `the export holds no seal ${chain.memo.sealSequence}`];
  if (seal.hash !== chain.memo.sealHash) problems.push(`seal ${seal.sequence} of the export has hash ${seal.hash}, the memo on chain ${chain.memo.sealHash}`);
  if (seal.payoutId !== proof.payoutId) problems.push(`seal ${seal.sequence} seals through ${seal.payoutId ?? 'no payout'}, not ${proof.payoutId}`);
  if (plan === undefined) return [...problems, `the export holds no plan of ${proof.payoutId}`];
  const root = allocationsRoot(plan.allocations);
  if (root !== chain.memo.allocationsRoot) problems.push(`the plan's allocations make root ${root}, the memo on chain ${chain.memo.allocationsRoot}`);
  const line = plan.allocations[proof.allocation.index];
  if (line?.launcherId !== proof.allocation.launcherId || line.amount !== proof.allocation.amount || line.puzzleHash !== proof.allocation.puzzleHash) {
    problems.push(`the plan's allocation ${proof.allocation.index} is not the farmer's line`);
  }
  if (problems.length === 0) print(`ok   export: seal ${seal.sequence} has the memo's hash, and the plan's ${plan.allocations.length} allocation(s) make the memo's root`);
  return problems;
}

/**
 * `poolctl verify-payout`: checks one farmer's line of a payout with data from the pool's API and the chain alone, and
 * the seal against an export of the ledger. Prints each check; returns whether all passed.
 * 1. The proof: the farmer's line hashes to its leaf, and the leaf with its steps leads to the root the commitment names.
 * 2. The chain: the farmer's coin is there, and a coin of the same transaction carries a memo naming this payout, its
 *    seal and that root. From here on the memo read from the chain is what counts, not what the API said.
 * 3. The export (given, or fetched from the pool): it audits offline, its seal of that number has the memo's hash, and
 *    its plan of this payout makes the memo's root with the farmer's line in it. A rewritten ledger cannot match a
 *    hash already on chain.
 */
export async function verifyPayout(input: VerifyPayoutInput): Promise<boolean> {
  const fetcher = input.fetch ?? fetch;
  const base = input.poolUrl.replace(/\/+$/, '');
  const proof = (await (await fetchOk(fetcher, `${base}/api/farmers/${input.launcherId}/payouts/${encodeURIComponent(input.payoutId)}/proof`)).json()) as PayoutProof;
  const failures: string[] = [];
  const fail = (problems: string[]): void => {
    for (const problem of problems) input.print(`FAIL ${problem}`);
    failures.push(...problems);
  };
  if (proof.payoutId !== input.payoutId || proof.allocation.launcherId !== input.launcherId) fail([`the pool answered for ${proof.payoutId} / ${proof.allocation.launcherId}`]);
  const proofProblems = inclusionProblems(proof);
  if (proofProblems.length > 0) fail(proofProblems);
  else input.print(`ok   proof: allocation ${proof.allocation.index + 1} of ${proof.allocationCount} (${proof.allocation.amount} mojos) leads to root ${proof.commitment.allocationsRoot}`);

  const chain = await readChain(proof, input.node, input.print);
  if (Array.isArray(chain)) fail(chain);
  else {
    const memo = chain.memo;
    if (memo.allocationsRoot !== proof.commitment.allocationsRoot) fail([`the memo on chain names root ${memo.allocationsRoot}, the proof leads to ${proof.commitment.allocationsRoot}`]);
    if (memo.sealSequence !== proof.commitment.sealSequence || memo.sealHash !== proof.commitment.sealHash) fail([`the memo on chain names seal ${memo.sealSequence} ${memo.sealHash}, the pool said ${proof.commitment.sealSequence} ${proof.commitment.sealHash}`]);
    let exportFile = input.exportFile;
    let downloaded: string | undefined;
    try {
      if (exportFile === undefined) {
        downloaded = await mkdtemp(join(tmpdir(), 'verify-payout-'));
        exportFile = join(downloaded, `ledger-through-seal-${memo.sealSequence}.ndjson.gz`);
        await writeFile(exportFile, Buffer.from(await (await fetchOk(fetcher, `${base}/api/ledger/exports/${memo.sealSequence}`)).arrayBuffer()));
        input.print(`     export: fetched ${base}/api/ledger/exports/${memo.sealSequence}`);
      }
      fail(await checkExport(exportFile, proof, chain, input.print));
    } finally {
      if (downloaded !== undefined) await rm(downloaded, { recursive: true, force: true });
    }
  }
  input.print(
    failures.length === 0
      ? `payout ${input.payoutId} verified for farmer ${input.launcherId}: ${proof.allocation.amount} mojos, committed on chain to seal ${proof.commitment.sealSequence}`
      : `payout ${input.payoutId} NOT verified for farmer ${input.launcherId}: ${failures.length} problem(s)`,
  );
  return failures.length === 0;
}

/** `host`, `host:port` or `[v6]:port`, as a farmer types its node's address. */
function parseNodeAddress(typed: string): { host: string; port?: number } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(typed.trim());
  if (match === null) throw new Error(`--node ${typed}: expected host or host:port`);
  const host = match[1]!.replace(/^\[|\]$/g, '');
  return match[2] === undefined ? { host } : { host, port: Number(match[2]) };
}

/**
 * `poolctl verify-payout <payoutId> --farmer <launcherId> --pool-url <url> [--node host:port] [--export FILE]`. A
 * farmer's command: it needs no pool config, only the farmer's own full node (Chia's defaults: localhost:8555 and the
 * certificates of $CHIA_ROOT, else ~/.chia/mainnet).
 */
export function registerVerifyPayoutCommand(program: Command, print: (line: string) => void = (line) => console.log(line)): void {
  program
    .command('verify-payout <payoutId>')
    .description("check a farmer's line of a payout against the memo on chain and the seal against an export (data from the pool's API and the chain alone)")
    .requiredOption('--farmer <launcherId>', "the farmer's launcher id")
    .requiredOption('--pool-url <url>', "the pool's address (its API serves the proof and the export)")
    .option('--node <host:port>', 'your full node\'s RPC address (default localhost:8555; certificates from $CHIA_ROOT, else ~/.chia/mainnet)')
    .option('--export <file>', 'an export of the ledger through the seal (default: fetched from the pool)')
    .action(async (payoutId: string, options: { farmer: string; poolUrl: string; node?: string; export?: string }) => {
      const node = FullNodeRpcClient.fromChiaRoot(options.node === undefined ? {} : parseNodeAddress(options.node));
      try {
        const ok = await verifyPayout({
          payoutId,
          launcherId: parseLauncherId(options.farmer),
          poolUrl: options.poolUrl,
          node,
          ...(options.export === undefined ? {} : { exportFile: options.export }),
          print,
        });
        if (!ok) process.exitCode = 1;
      } finally {
        node.close();
      }
    });
}
