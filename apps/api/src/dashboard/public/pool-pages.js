// The pool's pages: overview, blocks, payouts (the list and one payout at its own URL) and the leaderboard.
import { lineChart, stackedBars } from './charts.js';
import { api, ApiError, card, coinCell, cursorList, empty, farmerLink, h, link, status, table, td, transactionCell, xch } from './dom.js';
import { fmtBytes, fmtDecimal, fmtInt, fmtPercent, fmtTime, fmtXch } from './format.js';

export async function overview() {
  const [stats, hourly, blocks, payouts] = await Promise.all([api('/api/pool/stats'), api('/api/pool/hourly?hours=48'), api('/api/blocks?limit=5'), api('/api/payouts?limit=5')]);
  document.title = `${stats.pool.name} – dashboard`;
  const buckets = hourly.hours.map((x) => ({ start: x.hour }));
  return [
    h('h1', {}, stats.pool.name),
    h('p', { class: 'muted' }, stats.pool.description),
    h(
      'dl',
      { class: 'cards', id: 'pool-stats' },
      card('Estimated space', 'estimatedSpace', stats.estimatedSpace, fmtBytes(stats.estimatedSpace), 'from the last 24 h of points, or the time farmed'),
      card('Farmers', 'farmers', stats.farmers.members, fmtInt(stats.farmers.members), `${fmtInt(stats.farmers.active24h)} active in 24 h`),
      card('Points per hour', 'pointsPerHour', stats.points.perHour, fmtDecimal(stats.points.perHour), `${fmtInt(stats.points.last24h)} in 24 h`),
      card('Effort', 'effort', stats.effort.percent, fmtPercent(stats.effort.percent), `${fmtInt(stats.effort.pointsSinceLastBlock)} points since the last block`),
      card('Luck (7 days)', 'luck', stats.luck.percent, fmtPercent(stats.luck.percent)),
      card('Blocks won', 'blocksWon', stats.blocks.won, fmtInt(stats.blocks.won), stats.blocks.last ? `last at height ${fmtInt(stats.blocks.last.farmedHeight)}` : 'none yet'),
      card('Pool fee', 'fee', stats.fee.basisPoints, `${(stats.fee.basisPoints / 100).toFixed(2)} %`),
      card('Payout scheme', 'scheme', stats.payouts.scheme, stats.payouts.scheme.toUpperCase(), `minimum ${fmtXch(stats.payouts.minimumPayout)}`),
      card('Paid to farmers', 'paid', stats.payouts.paidToFarmers, xch(stats.payouts.paidToFarmers), `${fmtInt(stats.payouts.count)} payouts`),
    ),
    h(
      'div',
      { class: 'charts' },
      lineChart({
        title: 'Pool points per hour',
        unit: 'points / hour',
        buckets,
        series: [
          { name: 'submitted', color: '#1c7ed6', values: hourly.hours.map((x) => Number(x.points.submitted)) },
          { name: 'confirmed', color: '#2f9e44', values: hourly.hours.map((x) => Number(x.points.confirmed)) },
        ],
      }),
      stackedBars({
        title: 'Pool partials per hour',
        unit: 'partials / hour',
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
    h('p', { class: 'explain' }, `Effort: ${stats.effort.formula}. Luck: ${stats.luck.formula}. Space: ${stats.spaceFormula}.`),
  ];
}

function blocksTable(items) {
  return table(
    [{ label: 'height', num: true }, { label: 'status' }, { label: 'amount', num: true }, { label: 'effort', num: true }, { label: 'luck', num: true }, { label: 'farmer' }, { label: 'coin' }, { label: 'detected' }],
    items.map((b) =>
      h(
        'tr',
        { 'data-coin': b.coinId },
        td(fmtInt(b.farmedHeight), true),
        td(status(b.status)),
        td(xch(b.amount), true),
        td(fmtPercent(b.effort?.percent), true, { 'data-effort': b.effort?.percent ?? '', title: b.effort?.points ? `${fmtInt(b.effort.points)} points since the block before` : undefined }),
        td(fmtPercent(b.effort?.luckPercent), true),
        td(farmerLink(b.launcherId)),
        td(coinCell(b.coinId)),
        td(fmtTime(b.detectedAt)),
      ),
    ),
    { id: 'blocks-table' },
  );
}

export async function blocksPage(onError) {
  const list = cursorList('/api/blocks', blocksTable, onError);
  await list.load();
  return [
    h('h1', {}, 'Blocks won by the pool'),
    list.holder,
    h('p', { class: 'explain' }, "A block's effort: the points the pool received from the block before it up to it, against the points a block is expected to take at the chain's difficulty now (100 % is par); its luck is the inverse."),
  ];
}

function payoutsTable(items) {
  return table(
    [{ label: '#', num: true }, { label: 'status' }, { label: 'scheme' }, { label: 'reward', num: true }, { label: 'pool fee', num: true }, { label: 'paid out', num: true }, { label: 'farmers', num: true }, { label: 'planned' }, { label: 'confirmed at height', num: true }],
    items.map((p) =>
      h(
        'tr',
        { class: 'clickable', 'data-payout': p.payoutId, 'data-href': `/dashboard/payouts/${p.payoutId}` },
        td(link(`/dashboard/payouts/${p.payoutId}`, String(p.sequence), { title: p.payoutId }), true),
        td(status(p.status)),
        td(p.scheme),
        td(xch(p.rewardTotal), true),
        td(xch(p.poolFee), true),
        td(xch(p.allocatedTotal), true),
        td(p.recipients, true),
        td(fmtTime(p.plannedAt)),
        td(fmtInt(p.confirmedHeight), true),
      ),
    ),
    { id: 'payouts-table' },
  );
}

export async function payoutsPage(onError) {
  const list = cursorList('/api/payouts', payoutsTable, onError);
  await list.load();
  return [h('h1', {}, 'Payouts'), h('p', { class: 'muted' }, 'Select a payout for its transactions and the line paid to each farmer.'), list.holder];
}

/** One payout at its own URL: its figures, its transactions and every farmer's line with the coin that paid it. */
export async function payoutPage(payoutId) {
  let p;
  try {
    p = await api(`/api/payouts/${encodeURIComponent(payoutId)}`);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return [h('h1', {}, 'Payout'), h('p', { class: 'error', id: 'payout-missing' }, error.message)];
    throw error;
  }
  document.title = `Payout ${p.sequence} – dashboard`;
  const sent = p.transactions.length > 0;
  return [
    h('h1', {}, `Payout ${p.sequence} `, status(p.status)),
    h('p', { class: 'muted' }, h('code', { class: 'mono-wrap' }, p.payoutId), ` · ${p.scheme.toUpperCase()} · planned ${fmtTime(p.plannedAt)} at ledger position ${p.ledgerPosition}`),
    h(
      'dl',
      { class: 'cards', id: 'payout-figures' },
      card('Reward', 'rewardTotal', p.rewardTotal, xch(p.rewardTotal), `${p.rewardCoinIds.length} reward coin(s)`),
      card('Pool fee', 'poolFee', p.poolFee, xch(p.poolFee), `${(p.feeBasisPoints / 100).toFixed(2)} %`),
      card('Blockchain fee', 'blockchainFee', p.blockchainFee, xch(p.blockchainFee)),
      card('Paid out', 'allocatedTotal', p.allocatedTotal, xch(p.allocatedTotal), `${fmtInt(p.recipients)} farmers`),
      card('Carried', 'carriedTotal', p.carriedTotal, xch(p.carriedTotal), 'below a minimum, paid later'),
      card('Confirmed', 'confirmedHeight', p.confirmedHeight, p.confirmedHeight === null ? '–' : `height ${fmtInt(p.confirmedHeight)}`, p.confirmedAt ? fmtTime(p.confirmedAt) : p.sentAt ? `sent ${fmtTime(p.sentAt)}` : 'not sent yet'),
    ),
    p.failureReason ? h('p', { class: 'error' }, `Attempt ${p.attempts} failed: ${p.failureReason}${p.willRetry ? ' (will retry)' : ''}`) : null,
    h('h2', {}, 'Transactions'),
    h('div', { class: 'panel' }, sent ? h('ul', { class: 'ids', id: 'payout-transactions' }, p.transactions.map((t) => h('li', { 'data-transaction': t.transactionId }, transactionCell(t.transactionId)))) : empty('none sent yet')),
    h('h2', {}, 'Reward coins'),
    h('div', { class: 'panel' }, p.rewardCoinIds.length > 0 ? h('ul', { class: 'ids' }, p.rewardCoinIds.map((id) => h('li', {}, coinCell(id)))) : empty()),
    h('h2', {}, "Farmers' lines"),
    h(
      'div',
      { class: 'panel' },
      table(
        [{ label: 'farmer' }, { label: 'points', num: true }, { label: 'amount', num: true }, { label: 'coin' }, { label: 'status' }, { label: 'check' }],
        p.lines.map((l) =>
          h(
            'tr',
            { 'data-launcher': l.launcherId },
            td(farmerLink(l.launcherId)),
            td(fmtInt(l.points), true),
            td(xch(l.amount), true),
            td(coinCell(l.coinId)),
            td(status(l.status)),
            td(sent ? link(`/dashboard/verify/${p.payoutId}/${l.launcherId}`, 'verify', { 'data-verify': '' }) : '–'),
          ),
        ),
        { id: 'payout-lines' },
      ),
    ),
    h('p', {}, link('/dashboard/payouts', '← all payouts')),
  ];
}

export async function leaderboardPage() {
  const params = new URLSearchParams(location.search);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const sort = params.get('sort') || 'points_24h';
  const board = await api(`/api/leaderboard?page=${page}&limit=50&sort=${encodeURIComponent(sort)}`);
  const pages = Math.max(1, Math.ceil(board.total / board.limit));
  const sortLink = (key, label) => (key === board.sort ? h('strong', {}, label) : link(`/dashboard/leaderboard?sort=${key}`, label));
  return [
    h('h1', {}, 'Leaderboard'),
    h('p', { class: 'sorts' }, 'Rank by: ', sortLink('points_24h', 'points in 24 h'), ' · ', sortLink('confirmed_points', 'confirmed points'), ' · ', sortLink('window_points', 'unpaid points'), ' · ', sortLink('estimated_space', 'estimated space')),
    h(
      'div',
      { class: 'panel' },
      table(
        [{ label: 'rank', num: true }, { label: 'farmer' }, { label: 'points 24 h', num: true }, { label: 'confirmed points', num: true }, { label: 'unpaid points', num: true }, { label: 'estimated space', num: true }, { label: 'share', num: true }, { label: 'difficulty', num: true }, { label: 'last partial' }],
        board.items.map((f) =>
          h(
            'tr',
            { 'data-launcher': f.launcherId },
            td(f.rank, true),
            td(farmerLink(f.launcherId, f.displayName)),
            td(fmtInt(f.points24h), true),
            td(fmtInt(f.confirmedPoints), true),
            td(fmtInt(f.windowPoints), true),
            td(fmtBytes(f.estimatedSpace), true),
            td(fmtPercent(f.share), true),
            td(fmtInt(f.difficulty), true),
            td(fmtTime(f.lastPartialAt)),
          ),
        ),
        { id: 'leaderboard-table' },
      ),
      h(
        'div',
        { class: 'pager' },
        page > 1 ? link(`/dashboard/leaderboard?sort=${board.sort}&page=${page - 1}`, '← previous') : null,
        h('span', { class: 'muted' }, `page ${page} of ${pages} (${fmtInt(board.total)} farmers)`),
        page < pages ? link(`/dashboard/leaderboard?sort=${board.sort}&page=${page + 1}`, 'next →') : null,
      ),
    ),
  ];
}

