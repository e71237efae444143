// Verifying a payout (docs/payout-commitments.md): how it works, step by step, and one farmer's line checked in this
// browser from the proof the pool serves.
import { api, ApiError, coinExplorerLink, h, link, status, table, td } from './dom.js';
import { fmtXch } from './format.js';
import { checkProof } from './verify.js';

const code = (text) => h('pre', {}, h('code', {}, text));

/** How a farmer checks its payouts, step by step: what the pool commits to, and the commands. */
export function verifyHowToPage() {
  document.title = 'Verify your payouts – dashboard';
  const pool = location.origin;
  return [
    h('h1', {}, 'Verify your payouts'),
    h('p', {}, 'Every payout this pool sends carries, as a memo of one coin of each transaction, a commitment to its ledger: the seal recorded through the payout\'s plan (a hash of every ledger event up to it) and the Merkle root of every farmer\'s line of the payout. The memo is on chain, so the pool cannot change it afterwards; the ledger it names can be downloaded and audited by anyone.'),
    h('ol', { id: 'verify-steps' },
      h('li', {}, 'Open your farmer page and, in the payout history, follow "verify" next to a payout: this browser checks that your line (launcher id, payout address, amount) is one of the lines the commitment names, from the proof the pool serves.'),
      h('li', {}, 'Check the memo on chain against your own full node (the browser cannot reach it). With chia-pool-ledger checked out (', h('code', {}, 'npm ci'), '), on the machine of your node:', code(`npx poolctl verify-payout payout-00000001 --farmer <your launcher id> --pool-url ${pool}`), 'It reads your coin and the memo from your node (localhost:8555 and the certificates of $CHIA_ROOT by default; ', h('code', {}, '--node host:port'), ' for another), then fetches the ledger export the memo\'s seal closes, audits it offline (every payout recomputed to the mojo, every seal checked against every event before it), and checks that the export\'s seal has the memo\'s hash and its plan the memo\'s root with your line in it.'),
      h('li', {}, 'Keep the export: a later export must hold the very same events before that seal. Audit it again any time, or read your own statement from it:', code(`curl -o ledger.ndjson.gz ${pool}/api/ledger/exports/<seal>\nnpx poolctl audit --export ledger.ndjson.gz\nnpx poolctl audit --export ledger.ndjson.gz --farmer <your launcher id>`)),
      h('li', {}, 'Without our tools: the hashing is described in docs/payout-commitments.md of chia-pool-ledger. The memo coin is named by GET /api/farmers/<launcher id>/payouts/<payout id>/proof (memoCoinId); ask any node for its parent\'s spend (', h('code', {}, 'get_coin_record_by_name'), ', then ', h('code', {}, 'get_puzzle_and_solution'), ' at the height it was confirmed) and read the memo of its CREATE_COIN.'),
    ),
  ];
}

/** One payout line checked in this browser from the proof alone; what needs the chain is left to poolctl verify-payout. */
export async function verifyPage(payoutId, launcherId) {
  document.title = `Verify ${payoutId} – dashboard`;
  let proof;
  try {
    proof = await api(`/api/farmers/${launcherId}/payouts/${encodeURIComponent(payoutId)}/proof`);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return [h('h1', {}, `Verify ${payoutId}`), h('p', { class: 'error', id: 'verify-missing' }, error.message)];
    throw error;
  }
  const checks = await checkProof(proof);
  const ok = checks.every((c) => c.ok);
  const version = proof.versions[0];
  return [
    h('h1', {}, `Verify ${payoutId}`),
    h('p', { id: 'verify-result', class: ok ? 'verified' : 'error', 'data-ok': String(ok) }, ok ? `Your line of ${fmtXch(proof.allocation.amount)} is one of the ${proof.allocationCount} lines this payout committed to.` : 'This proof does not check out: see below.'),
    h('div', { class: 'panel' },
      table(
        [{ label: 'check' }, { label: 'result' }, { label: 'what was computed here' }],
        checks.map((c) => h('tr', { 'data-check': c.name }, td(c.name), td(status(c.ok ? 'ok' : 'failed')), td(c.detail, false, { class: 'explain mono-wrap' }))),
        { id: 'verify-checks' },
      ),
    ),
    h('h2', {}, 'On chain'),
    h('p', {}, 'The memo is carried by coin ', h('code', { class: 'mono-wrap', id: 'memo-coin' }, version?.memoCoinId ?? '–'), ' ', coinExplorerLink(version?.memoCoinId), ' and your payment is coin ', h('code', { class: 'mono-wrap' }, version?.paymentCoinId ?? '–'), ' ', coinExplorerLink(version?.paymentCoinId), ` (transaction ${proof.payment.transactionIndex + 1}). The export the seal closes is at `, h('a', { href: proof.exportUrl, class: 'mono-wrap' }, proof.exportUrl), '.'),
    h('p', {}, 'Check the memo on chain and the seal against that export with your own node:'),
    code(`npx poolctl verify-payout ${payoutId} --farmer ${launcherId} --pool-url ${location.origin}`),
    h('p', {}, link('/dashboard/verify', 'How verifying works, step by step')),
  ];
}
