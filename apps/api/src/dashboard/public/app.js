// The pool dashboard: plain ES modules, reading only the read API (/api/...). Pages route on the client by path.
import { lineChart, stackedBars } from './charts.js';
import { checkProof } from './verify.js';

const view = document.getElementById('view');

// ---------- formatting (exact for integers and mojos: values arrive as decimal strings) ----------
export function fmtInt(value) {
  if (value === null || value === undefined) return '–';
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1234.50" as "1,234.5": separators on the whole part, trailing zeros dropped. */
export function fmtDecimal(value) {
  if (value === null || value === undefined) return '–';
  const [whole, fraction = ''] = String(value).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${fmtInt(whole)}${trimmed ? `.${trimmed}` : ''}`;
}

export function fmtXch(mojos) {
  if (mojos === null || mojos === undefined) return '–';
  const negative = String(mojos).startsWith('-');
  const digits = String(mojos).replace('-', '').padStart(13, '0');
  const whole = digits.slice(0, -12).replace(/^0+(?=\d)/, '');
  const fraction = digits.slice(-12).replace(/0+$/, '');
  return `${negative ? '-' : ''}${fmtInt(whole)}${fraction ? `.${fraction}` : ''} XCH`;
}

export function fmtBytes(bytes) {
  if (bytes === null || bytes === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB'];
  let value = Number(bytes); // display only; the exact figure is in data-value
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(2)} ${units[unit]}`;
}

export function fmtTime(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const short = (hex) => (hex ? `${hex.slice(0, 10)}…${hex.slice(-6)}` : '–');

// ---------- DOM helpers (text only: farmer-supplied strings never become markup) ----------
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'onclick') node.addEventListener('click', v);
    else node.setAttribute(k, String(v));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  return node;
}

const link = (href, text, attrs = {}) => h('a', { href, 'data-link': '', ...attrs }, text);
const farmerLink = (id) => link(`/dashboard/farmer/${id}`, short(id), { class: 'mono', title: id });
const status = (s) => h('span', { class: `status ${s}` }, s);

/** A figure: the formatted text, with the API's exact value in data-value for whoever checks it. */
function card(label, field, value, formatted, note) {
  return h('div', { class: 'card' }, h('dt', {}, label), h('dd', { 'data-field': field, 'data-value': value ?? '' }, formatted ?? value ?? '–', note ? h('small', {}, note) : null));
}

function table(columns, rows, attrs = {}) {
  return h(
    'table',
    attrs,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : undefined }, c.label)))),
    h('tbody', {}, rows.length === 0 ? h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, 'nothing yet')) : rows),
  );
}

const td = (content, num = false, attrs = {}) => h('td', { class: num ? 'num' : undefined, ...attrs }, content);

// ---------- API ----------
class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, Array.isArray(body.message) ? body.message.join('; ') : body.message || response.statusText);
  return body;
}

// ---------- pages ----------
async function overview() {
  const [stats, hourly, blocks, payouts] = await Promise.all([
    api('/api/pool/stats'),
    api('/api/pool/hourly?hours=48'),
    api('/api/blocks?limit=5'),
    api('/api/payouts?limit=5'),
  ]);
  document.title = `${stats.pool.name} – dashboard`;
  const buckets = hourly.hours.map((x) => ({ start: x.hour }));
  return [
    h('h1', {}, stats.pool.name),
    h('p', { class: 'muted' }, stats.pool.description),
    h(
      'dl',
      { class: 'cards', id: 'pool-stats' },
      card('Estimated space', 'estimatedSpace', stats.estimatedSpace, fmtBytes(stats.estimatedSpace), 'from the last 24 h of points'),
      card('Farmers', 'farmers', stats.farmers.members, fmtInt(stats.farmers.members), `${fmtInt(stats.farmers.active24h)} active in 24 h`),
      card('Points per hour', 'pointsPerHour', stats.points.perHour, fmtDecimal(stats.points.perHour), `${fmtInt(stats.points.last24h)} in 24 h`),
      card('Effort', 'effort', stats.effort.percent, stats.effort.percent === null ? '–' : `${stats.effort.percent} %`, `${fmtInt(stats.effort.pointsSinceLastBlock)} points since the last block`),
      card('Luck (7 days)', 'luck', stats.luck.percent, stats.luck.percent === null ? '–' : `${stats.luck.percent} %`),
      card('Blocks won', 'blocksWon', stats.blocks.won, fmtInt(stats.blocks.won), stats.blocks.last ? `last at height ${stats.blocks.last.farmedHeight}` : 'none yet'),
      card('Pool fee', 'fee', stats.fee.basisPoints, `${(stats.fee.basisPoints / 100).toFixed(2)} %`),
      card('Payout scheme', 'scheme', stats.payouts.scheme, stats.payouts.scheme.toUpperCase(), `minimum ${fmtXch(stats.payouts.minimumPayout)}`),
      card('Paid to farmers', 'paid', stats.payouts.paidToFarmers, fmtXch(stats.payouts.paidToFarmers), `${fmtInt(stats.payouts.count)} payouts`),
    ),
    h(
      'div',
      { class: 'charts' },
      lineChart({
        title: 'Pool points per hour',
        buckets,
        series: [
          { name: 'submitted', color: '#1c7ed6', values: hourly.hours.map((x) => Number(x.points.submitted)) },
          { name: 'confirmed', color: '#2f9e44', values: hourly.hours.map((x) => Number(x.points.confirmed)) },
        ],
      }),
      stackedBars({
        title: 'Pool partials per hour',
        buckets,
        series: [
          { name: 'confirmed', color: '#2f9e44', values: hourly.hours.map((x) => x.partials.confirmed) },
          { name: 'reverted', color: '#e03131', values: hourly.hours.map((x) => x.partials.reverted) },
        ],
      }),
    ),
    h('h2', {}, 'Latest blocks ', link('/dashboard/blocks', 'all')),
    h('div', { class: 'panel' }, blocksTable(blocks.items)),
    h('h2', {}, 'Latest payouts ', link('/dashboard/payouts', 'all')),
    h('div', { class: 'panel' }, payoutsTable(payouts.items)),
    h('p', { class: 'explain' }, `Effort: ${stats.effort.formula}. Luck: ${stats.luck.formula}.`),
  ];
}

function blocksTable(items) {
  return table(
    [{ label: 'height', num: true }, { label: 'status' }, { label: 'amount', num: true }, { label: 'farmer' }, { label: 'coin' }, { label: 'absorbed at height', num: true }, { label: 'detected' }],
    items.map((b) =>
      h('tr', {}, td(fmtInt(b.farmedHeight), true), td(status(b.status)), td(fmtXch(b.amount), true), td(farmerLink(b.launcherId)), td(short(b.coinId), false, { class: 'mono', title: b.coinId }), td(fmtInt(b.absorbedHeight), true), td(fmtTime(b.detectedAt))),
    ),
    { id: 'blocks-table' },
  );
}

function payoutsTable(items, onOpen) {
  return table(
    [{ label: '#', num: true }, { label: 'status' }, { label: 'scheme' }, { label: 'reward', num: true }, { label: 'pool fee', num: true }, { label: 'paid out', num: true }, { label: 'farmers', num: true }, { label: 'planned' }, { label: 'confirmed at height', num: true }],
    items.map((p) =>
      h(
        'tr',
        { class: onOpen ? 'clickable' : undefined, 'data-payout': p.payoutId, onclick: onOpen ? () => onOpen(p.payoutId) : undefined },
        td(p.sequence, true),
        td(status(p.status)),
        td(p.scheme),
        td(fmtXch(p.rewardTotal), true),
        td(fmtXch(p.poolFee), true),
        td(fmtXch(p.allocatedTotal), true),
        td(p.recipients, true),
        td(fmtTime(p.plannedAt)),
        td(fmtInt(p.confirmedHeight), true),
      ),
    ),
    { id: 'payouts-table' },
  );
}

/** A list with a "more" button that follows nextCursor. */
function cursorList(path, render) {
  const holder = h('div', { class: 'panel' });
  const more = h('button', { type: 'button' }, 'Load more');
  const items = [];
  let cursor = null;
  const load = async () => {
    more.disabled = true;
    const page = await api(`${path}${path.includes('?') ? '&' : '?'}limit=25${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
    holder.replaceChildren(render(items), h('div', { class: 'pager' }, cursor ? more : h('span', { class: 'muted' }, `${items.length} shown, no more`)));
    more.disabled = false;
  };
  more.addEventListener('click', () => load().catch(showError));
  return { holder, load };
}

async function blocksPage() {
  const list = cursorList('/api/blocks', blocksTable);
  await list.load();
  return [h('h1', {}, 'Blocks won by the pool'), list.holder];
}

async function payoutsPage() {
  const detail = h('div');
  const open = async (id) => {
    const p = await api(`/api/payouts/${encodeURIComponent(id)}`);
    detail.replaceChildren(
      h('h2', {}, `Payout ${p.sequence} (${p.payoutId}) `, status(p.status)),
      h('div', { class: 'panel' },
        h('p', {}, `Ledger position ${p.ledgerPosition}; reward ${fmtXch(p.rewardTotal)}, pool fee ${fmtXch(p.poolFee)}, blockchain fee ${fmtXch(p.blockchainFee)}, carried ${fmtXch(p.carriedTotal)}.`),
        h('p', {}, 'Transactions: ', p.transactions.length === 0 ? 'none sent yet' : p.transactions.map((t) => h('code', {}, `${t.transactionId} `))),
        table(
          [{ label: 'farmer' }, { label: 'points', num: true }, { label: 'amount', num: true }, { label: 'coin' }, { label: 'status' }],
          p.lines.map((l) => h('tr', {}, td(farmerLink(l.launcherId)), td(fmtInt(l.points), true), td(fmtXch(l.amount), true), td(short(l.coinId), false, { class: 'mono', title: l.coinId ?? '' }), td(status(l.status)))),
          { id: 'payout-lines' },
        ),
      ),
    );
  };
  const list = cursorList('/api/payouts', (items) => payoutsTable(items, (id) => open(id).catch(showError)));
  await list.load();
  return [h('h1', {}, 'Payouts'), h('p', { class: 'muted' }, 'Select a payout for its transactions and the line paid to each farmer.'), list.holder, detail];
}

async function leaderboardPage() {
  const params = new URLSearchParams(location.search);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const sort = params.get('sort') || 'points_24h';
  const board = await api(`/api/leaderboard?page=${page}&limit=50&sort=${encodeURIComponent(sort)}`);
  const pages = Math.max(1, Math.ceil(board.total / board.limit));
  const sortLink = (key, label) => (key === board.sort ? h('strong', {}, label) : link(`/dashboard/leaderboard?sort=${key}`, label));
  return [
    h('h1', {}, 'Leaderboard'),
    h('p', {}, 'Rank by: ', sortLink('points_24h', 'points in 24 h'), ' · ', sortLink('confirmed_points', 'confirmed points'), ' · ', sortLink('window_points', 'unpaid points'), ' · ', sortLink('estimated_space', 'estimated space')),
    h('div', { class: 'panel' },
      table(
        [{ label: 'rank', num: true }, { label: 'farmer' }, { label: 'points 24 h', num: true }, { label: 'confirmed points', num: true }, { label: 'unpaid points', num: true }, { label: 'estimated space', num: true }, { label: 'share', num: true }, { label: 'difficulty', num: true }, { label: 'last partial' }],
        board.items.map((f) =>
          h('tr', { 'data-launcher': f.launcherId }, td(f.rank, true), td(farmerLink(f.launcherId)), td(fmtInt(f.points24h), true), td(fmtInt(f.confirmedPoints), true), td(fmtInt(f.windowPoints), true), td(fmtBytes(f.estimatedSpace), true), td(f.share === null ? '–' : `${f.share} %`, true), td(fmtInt(f.difficulty), true), td(fmtTime(f.lastPartialAt))),
        ),
        { id: 'leaderboard-table' },
      ),
      h('div', { class: 'pager' },
        page > 1 ? link(`/dashboard/leaderboard?sort=${board.sort}&page=${page - 1}`, '← previous') : null,
        h('span', { class: 'muted' }, `page ${page} of ${pages} (${fmtInt(board.total)} farmers)`),
        page < pages ? link(`/dashboard/leaderboard?sort=${board.sort}&page=${page + 1}`, 'next →') : null,
      ),
    ),
  ];
}

async function farmerPage(launcherId) {
  let farmer;
  try {
    farmer = await api(`/api/farmers/${launcherId}`);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      return [h('h1', {}, 'Farmer'), h('p', { class: 'error', id: 'farmer-missing' }, error.message)];
    }
    throw error;
  }
  const [timeline, partials] = await Promise.all([api(`/api/farmers/${launcherId}/timeline?resolution=hour`), api(`/api/farmers/${launcherId}/partials?limit=25`)]);
  const harvesters = await harvestersSection(launcherId);
  const refused = await refusedPartialsSection(launcherId);
  const buckets = timeline.buckets;
  const p = farmer.points;
  const b = farmer.balance;
  document.title = `Farmer ${short(launcherId)} – dashboard`;
  return [
    h('h1', {}, 'Farmer ', h('span', { class: 'mono', id: 'farmer-id' }, farmer.launcherId), ' ', status(farmer.membership)),
    h('p', { class: 'muted' }, `Registered ${fmtTime(farmer.registeredAt)} · last partial ${fmtTime(farmer.lastPartialAt)} · payout to `, h('code', {}, farmer.payoutInstructions ?? '–')),
    h(
      'dl',
      { class: 'cards', id: 'farmer-figures' },
      card('Difficulty', 'difficulty', farmer.difficulty, fmtInt(farmer.difficulty)),
      card('Points pending', 'pendingPoints', p.pending, fmtInt(p.pending), 'accepted, not yet confirmed'),
      card('Points confirmed', 'confirmedPoints', p.confirmed, fmtInt(p.confirmed), 'all time'),
      card('Points in window', 'windowPoints', p.inWindow, fmtInt(p.inWindow), 'confirmed, not yet paid'),
      card('Points in 24 h', 'points24h', p.last24h, fmtInt(p.last24h)),
      card('Estimated space', 'estimatedSpace', farmer.estimatedSpace, fmtBytes(farmer.estimatedSpace)),
      card('Paid', 'paid', b.paid, fmtXch(b.paid)),
      card('In flight', 'inFlight', b.inFlight, fmtXch(b.inFlight), 'planned or sent, not yet confirmed'),
      card('Carried', 'carried', b.carried, fmtXch(b.carried), 'below the minimum payout'),
    ),
    h(
      'div',
      { class: 'charts', id: 'farmer-charts' },
      lineChart({
        title: 'Points per hour',
        buckets,
        series: [
          { name: 'submitted', color: '#1c7ed6', values: buckets.map((x) => Number(x.points.submitted)) },
          { name: 'confirmed', color: '#2f9e44', values: buckets.map((x) => Number(x.points.confirmed)) },
          { name: 'reverted', color: '#e03131', values: buckets.map((x) => Number(x.points.reverted)) },
        ],
      }),
      stackedBars({
        title: 'Partials per hour',
        buckets,
        series: [
          { name: 'confirmed', color: '#2f9e44', values: buckets.map((x) => x.partials.confirmed) },
          { name: 'reverted', color: '#e03131', values: buckets.map((x) => x.partials.reverted) },
          { name: 'still pending', color: '#74c0fc', values: buckets.map((x) => Math.max(0, x.partials.submitted - x.partials.confirmed - x.partials.reverted)) },
        ],
      }),
    ),
    h('h2', {}, 'Partials by result (retention window)'),
    h('div', { class: 'panel' },
      table(
        [{ label: 'result' }, { label: 'partials', num: true }, { label: 'points', num: true }, { label: 'what it means' }],
        farmer.partials.byResult.map((r) => h('tr', { 'data-result': `${r.status}${r.reason ? `:${r.reason}` : ''}` }, td(status(r.status)), td(fmtInt(r.count), true), td(fmtInt(r.points), true), td(r.explanation, false, { class: 'explain' }))),
        { id: 'partials-by-result' },
      ),
      h('p', { class: 'muted' }, `All time: ${fmtInt(farmer.partials.allTime.submitted)} accepted, ${fmtInt(farmer.partials.allTime.confirmed)} confirmed, ${fmtInt(farmer.partials.allTime.reverted)} reverted.`),
    ),
    ...harvesters,
    h('h2', {}, 'Payout history'),
    h('div', { class: 'panel' },
      table(
        [{ label: '#', num: true }, { label: 'status' }, { label: 'points', num: true }, { label: 'amount', num: true }, { label: 'planned' }, { label: 'confirmed at height', num: true }, { label: 'check' }],
        farmer.payoutHistory.map((x) =>
          h(
            'tr',
            { 'data-payout': x.payoutId },
            td(x.sequence, true),
            td(status(x.status)),
            td(fmtInt(x.points), true),
            td(fmtXch(x.amount), true),
            td(fmtTime(x.plannedAt)),
            td(fmtInt(x.confirmedHeight), true),
            td(x.transactionIds.length > 0 ? link(`/dashboard/verify/${x.payoutId}/${launcherId}`, 'verify') : '–'),
          ),
        ),
        { id: 'payout-history' },
      ),
    ),
    h('h2', {}, 'Recent partials'),
    h('div', { class: 'panel' },
      table(
        [{ label: 'received' }, { label: 'status' }, { label: 'points', num: true }, { label: 'proof' }, { label: 'k', num: true }, { label: 'note' }],
        partials.items.map((x) => h('tr', {}, td(fmtTime(x.receivedAt)), td(status(x.status)), td(fmtInt(x.points), true), td(short(x.proofHash), false, { class: 'mono', title: x.proofHash }), td(x.plotSize, true), td(x.status === 'reverted' ? x.explanation : '', false, { class: 'explain' }))),
        { id: 'recent-partials' },
      ),
    ),
    ...refused,
    h('p', {}, h('a', { href: `/api/farmers/${launcherId}/history.csv` }, 'Download history (CSV)'), ' · ', h('a', { href: `/api/farmers/${launcherId}/statement` }, 'Audit statement (JSON, replayed from the ledger)')),
  ];
}

/** The farmer's harvesters (from the id signed into each partial): what each found, and what it reported itself as. */
async function harvestersSection(launcherId) {
  const { harvesters } = await api(`/api/farmers/${launcherId}/harvesters`);
  const versions = (x) => [x.harvesterVersion && `harvester ${x.harvesterVersion}`, x.farmerVersion && `farmer ${x.farmerVersion}`].filter(Boolean).join(' · ') || '–';
  return [
    h('h2', {}, 'Harvesters'),
    h('div', { class: 'panel' },
      table(
        [{ label: 'harvester' }, { label: 'last partial' }, { label: 'partials 24 h', num: true }, { label: 'points 24 h', num: true }, { label: 'estimated space', num: true }, { label: 'partials (all time)', num: true }, { label: 'confirmed points', num: true }, { label: 'plots' }, { label: 'versions' }, { label: 'refused 24 h', num: true }],
        harvesters.map((x) =>
          h(
            'tr',
            { 'data-harvester': x.harvesterId },
            td(short(x.harvesterId), false, { class: 'mono', title: x.harvesterId }),
            td(fmtTime(x.lastSeenAt)),
            td(fmtInt(x.partials.last24h), true),
            td(fmtInt(x.points.last24h), true),
            td(fmtBytes(x.estimatedSpace), true, { 'data-value': x.estimatedSpace }),
            td(`${fmtInt(x.partials.submitted)} (${fmtInt(x.partials.confirmed)} confirmed, ${fmtInt(x.partials.reverted)} reverted)`, true),
            td(fmtInt(x.points.confirmed), true),
            td(x.plotSizes.map((k) => `k${k}`).join(', ') || '–'),
            td(versions(x), false, { title: x.userAgent ?? '' }),
            td(fmtInt(x.refused.last24h), true, x.refused.last24h > 0 ? { class: 'num error' } : {}),
          ),
        ),
        { id: 'harvesters-table' },
      ),
      h('p', { class: 'muted' }, 'Space is estimated from each harvester\'s points of the last 24 h. Partials accepted before the pool kept harvester ids count in the figures above, not here.'),
    ),
  ];
}

/** Partials the pool refused this farmer: why, and which harvester sent them (the answer each was given, in words). */
async function refusedPartialsSection(launcherId) {
  const refused = await api(`/api/farmers/${launcherId}/refused-partials?limit=25`);
  const reasons = (x) => x.byErrorCode.map((c) => `${c.reason} × ${fmtInt(c.count)}`).join(', ');
  return [
    h('h2', {}, 'Refused partials'),
    h('div', { class: 'panel' },
      table(
        [{ label: 'harvester' }, { label: 'refused in 24 h', num: true }, { label: 'why' }, { label: 'last refused' }],
        refused.last24h.harvesters.map((x) => h('tr', { 'data-harvester': x.harvesterId }, td(short(x.harvesterId), false, { class: 'mono', title: x.harvesterId }), td(fmtInt(x.refused), true), td(reasons(x)), td(fmtTime(x.lastRefusedAt)))),
        { id: 'refusals-by-harvester' },
      ),
      table(
        [{ label: 'received' }, { label: 'harvester' }, { label: 'reason' }, { label: 'what the pool answered' }],
        refused.items.map((x) => h('tr', { 'data-error-code': x.errorCode }, td(fmtTime(x.refusedAt)), td(short(x.harvesterId), false, { class: 'mono', title: x.harvesterId }), td(h('strong', {}, x.reason)), td(x.message, false, { class: 'explain' }))),
        { id: 'refused-partials' },
      ),
      h('p', { class: 'muted' }, 'Refusals are kept for the retention window; each is the answer your farmer was given. Partials refused because the pool did not know the farmer are not kept.'),
    ),
  ];
}

// ---------- verifying a payout (docs/payout-commitments.md) ----------
const code = (text) => h('pre', {}, h('code', {}, text));

/** How a farmer checks its payouts, step by step: what the pool commits to, and the commands. */
function verifyHowToPage() {
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
async function verifyPage(payoutId, launcherId) {
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
    h('p', {}, 'The memo is carried by coin ', h('code', { class: 'mono-wrap', id: 'memo-coin' }, version?.memoCoinId ?? '–'), ' and your payment is coin ', h('code', { class: 'mono-wrap' }, version?.paymentCoinId ?? '–'), ` (transaction ${proof.payment.transactionIndex + 1}). The export the seal closes is at `, h('a', { href: proof.exportUrl }, proof.exportUrl), '.'),
    h('p', {}, 'Check the memo on chain and the seal against that export with your own node:'),
    code(`npx poolctl verify-payout ${payoutId} --farmer ${launcherId} --pool-url ${location.origin}`),
    h('p', {}, link('/dashboard/verify', 'How verifying works, step by step')),
  ];
}

// ---------- routing ----------
function showError(error) {
  view.replaceChildren(h('h1', {}, 'Something went wrong'), h('p', { class: 'error' }, error instanceof ApiError ? `${error.status}: ${error.message}` : String(error)));
}

// The overview and farmer pages follow a living pool: redrawn every REFRESH_MS while the tab is visible.
const REFRESH_MS = 15_000;
let refreshTimer;

async function route() {
  clearTimeout(refreshTimer);
  const path = location.pathname.replace(/\/+$/, '') || '/dashboard';
  const farmer = /^\/dashboard\/farmer\/([^/]+)$/.exec(path);
  const verify = /^\/dashboard\/verify\/([^/]+)\/([^/]+)$/.exec(path);
  const live = farmer !== null || !/^\/dashboard\/(blocks|payouts|leaderboard|verify(\/.*)?)$/.test(path);
  let content;
  view.setAttribute('aria-busy', 'true');
  try {
    if (farmer) content = await farmerPage(decodeURIComponent(farmer[1]).toLowerCase().replace(/^0x/, ''));
    else if (path === '/dashboard/blocks') content = await blocksPage();
    else if (path === '/dashboard/payouts') content = await payoutsPage();
    else if (path === '/dashboard/leaderboard') content = await leaderboardPage();
    else if (path === '/dashboard/verify') content = verifyHowToPage();
    else if (verify) content = await verifyPage(decodeURIComponent(verify[1]), decodeURIComponent(verify[2]).toLowerCase().replace(/^0x/, ''));
    else content = await overview();
    view.replaceChildren(...content);
  } catch (error) {
    showError(error);
  } finally {
    view.setAttribute('aria-busy', 'false');
    const tick = () => {
      if (document.hidden) refreshTimer = setTimeout(tick, REFRESH_MS);
      else void route();
    };
    if (live) refreshTimer = setTimeout(tick, REFRESH_MS);
  }
}

document.addEventListener('click', (event) => {
  const anchor = event.target instanceof Element ? event.target.closest('a[data-link]') : null;
  if (!anchor || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  history.pushState(null, '', anchor.getAttribute('href'));
  void route();
});
window.addEventListener('popstate', () => void route());
document.getElementById('lookup').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = document.getElementById('lookup-id').value.trim().toLowerCase().replace(/^0x/, '');
  history.pushState(null, '', `/dashboard/farmer/${encodeURIComponent(id)}`);
  void route();
});
api('/api/pool/stats')
  .then((stats) => (document.getElementById('pool-name').textContent = stats.pool.name))
  .catch(() => undefined);
void route();
