// A farmer's page: its figures and rank, charts, partials by result, harvesters, payouts with their coins and
// transactions, recent partials and the partials the pool refused.
import { lineChart, stackedBars } from './charts.js';
import { api, ApiError, card, coinCell, copyButton, h, idCell, link, status, table, td, transactionCell, xch } from './dom.js';
import { fmtBytes, fmtInt, fmtTime, short } from './format.js';

export async function farmerPage(launcherId) {
  let farmer;
  try {
    farmer = await api(`/api/farmers/${launcherId}`);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      return [h('h1', {}, 'Farmer'), h('p', { class: 'error', id: 'farmer-missing' }, error.message)];
    }
    throw error;
  }
  const [timeline, partials, harvesters, refused] = await Promise.all([
    api(`/api/farmers/${launcherId}/timeline?resolution=hour`),
    api(`/api/farmers/${launcherId}/partials?limit=25`),
    harvestersSection(launcherId),
    refusedPartialsSection(launcherId),
  ]);
  const buckets = timeline.buckets;
  const p = farmer.points;
  const b = farmer.balance;
  const rank = farmer.rank;
  document.title = `Farmer ${farmer.displayName ?? short(launcherId)} – dashboard`;
  return [
    h('h1', { class: 'farmer-title' }, farmer.displayName ? h('span', { id: 'farmer-name' }, farmer.displayName) : 'Farmer', ' ', status(farmer.membership)),
    h('p', { class: 'farmer-id' }, h('code', { class: 'mono-wrap', id: 'farmer-id' }, farmer.launcherId), ' ', copyButton(farmer.launcherId)),
    h(
      'p',
      { class: 'muted' },
      `Registered ${fmtTime(farmer.registeredAt)} · last partial ${fmtTime(farmer.lastPartialAt)} · payout to `,
      farmer.payoutInstructions ? h('code', { class: 'mono-wrap' }, farmer.payoutInstructions) : '–',
    ),
    h(
      'dl',
      { class: 'cards', id: 'farmer-figures' },
      card('Rank', 'rank', rank?.position ?? '', rank?.position ? `#${fmtInt(rank.position)}` : '–', h('span', {}, `of ${fmtInt(rank?.farmers ?? 0)} by points in 24 h · `, link('/dashboard/leaderboard', 'leaderboard'))),
      card('Difficulty', 'difficulty', farmer.difficulty, fmtInt(farmer.difficulty)),
      card('Points pending', 'pendingPoints', p.pending, fmtInt(p.pending), 'accepted, not yet confirmed'),
      card('Points confirmed', 'confirmedPoints', p.confirmed, fmtInt(p.confirmed), 'all time'),
      card('Points in window', 'windowPoints', p.inWindow, fmtInt(p.inWindow), 'confirmed, not yet paid'),
      card('Points in 24 h', 'points24h', p.last24h, fmtInt(p.last24h)),
      card('Estimated space', 'estimatedSpace', farmer.estimatedSpace, fmtBytes(farmer.estimatedSpace), 'points of the last 24 h over the time farmed'),
      card('Paid', 'paid', b.paid, xch(b.paid)),
      card('In flight', 'inFlight', b.inFlight, xch(b.inFlight), 'planned or sent, not yet confirmed'),
      card('Carried', 'carried', b.carried, xch(b.carried), 'below the minimum payout'),
    ),
    h(
      'div',
      { class: 'charts', id: 'farmer-charts' },
      lineChart({
        title: 'Points per hour',
        unit: 'points / hour',
        buckets,
        series: [
          { name: 'submitted', color: '#1c7ed6', values: buckets.map((x) => Number(x.points.submitted)) },
          { name: 'confirmed', color: '#2f9e44', values: buckets.map((x) => Number(x.points.confirmed)) },
          { name: 'reverted', color: '#e03131', values: buckets.map((x) => Number(x.points.reverted)) },
        ],
      }),
      stackedBars({
        title: 'Partials per hour',
        unit: 'partials / hour',
        buckets,
        series: [
          { name: 'confirmed', color: '#2f9e44', values: buckets.map((x) => x.partials.confirmed) },
          { name: 'reverted', color: '#e03131', values: buckets.map((x) => x.partials.reverted) },
          { name: 'still pending', color: '#74c0fc', values: buckets.map((x) => Math.max(0, x.partials.submitted - x.partials.confirmed - x.partials.reverted)) },
        ],
      }),
    ),
    h('h2', {}, 'Partials by result (retention window)'),
    h(
      'div',
      { class: 'panel' },
      table(
        [{ label: 'result' }, { label: 'partials', num: true }, { label: 'points', num: true }, { label: 'what it means' }],
        farmer.partials.byResult.map((r) => h('tr', { 'data-result': `${r.status}${r.reason ? `:${r.reason}` : ''}` }, td(status(r.status)), td(fmtInt(r.count), true), td(fmtInt(r.points), true), td(r.explanation, false, { class: 'explain' }))),
        { id: 'partials-by-result' },
      ),
      h('p', { class: 'muted' }, `All time: ${fmtInt(farmer.partials.allTime.submitted)} accepted, ${fmtInt(farmer.partials.allTime.confirmed)} confirmed, ${fmtInt(farmer.partials.allTime.reverted)} reverted.`),
    ),
    ...harvesters,
    h('h2', {}, 'Payout history'),
    h(
      'div',
      { class: 'panel' },
      table(
        [{ label: '#', num: true }, { label: 'status' }, { label: 'points', num: true }, { label: 'amount', num: true }, { label: 'coin' }, { label: 'transactions' }, { label: 'planned' }, { label: 'confirmed at height', num: true }, { label: 'check' }],
        farmer.payoutHistory.map((x) =>
          h(
            'tr',
            { 'data-payout': x.payoutId },
            td(link(`/dashboard/payouts/${x.payoutId}`, String(x.sequence), { title: x.payoutId }), true),
            td(status(x.status)),
            td(fmtInt(x.points), true),
            td(xch(x.amount), true),
            td(coinCell(x.coinId)),
            td(x.transactionIds.length === 0 ? '–' : h('span', { class: 'ids' }, x.transactionIds.map((t) => transactionCell(t)))),
            td(fmtTime(x.plannedAt)),
            td(fmtInt(x.confirmedHeight), true),
            td(x.transactionIds.length > 0 ? link(`/dashboard/verify/${x.payoutId}/${launcherId}`, 'verify', { 'data-verify': '' }) : '–'),
          ),
        ),
        { id: 'payout-history' },
      ),
    ),
    h('h2', {}, 'Recent partials'),
    h(
      'div',
      { class: 'panel' },
      table(
        [{ label: 'received' }, { label: 'status' }, { label: 'points', num: true }, { label: 'proof' }, { label: 'k', num: true }, { label: 'note' }],
        partials.items.map((x) => h('tr', {}, td(fmtTime(x.receivedAt)), td(status(x.status)), td(fmtInt(x.points), true), td(idCell(x.proofHash)), td(x.plotSize, true), td(x.status === 'reverted' ? x.explanation : '', false, { class: 'explain' }))),
        { id: 'recent-partials' },
      ),
    ),
    ...refused,
    h('p', { class: 'downloads' }, h('a', { href: `/api/farmers/${launcherId}/history.csv` }, 'Download history (CSV)'), ' · ', h('a', { href: `/api/farmers/${launcherId}/statement` }, 'Audit statement (JSON, replayed from the ledger)')),
  ];
}

/** The farmer's harvesters (from the id signed into each partial): what each found, and what it reported itself as. */
async function harvestersSection(launcherId) {
  const { harvesters } = await api(`/api/farmers/${launcherId}/harvesters`);
  const versions = (x) => [x.harvesterVersion && `harvester ${x.harvesterVersion}`, x.farmerVersion && `farmer ${x.farmerVersion}`].filter(Boolean).join(' · ') || '–';
  return [
    h('h2', {}, 'Harvesters'),
    h(
      'div',
      { class: 'panel' },
      table(
        [{ label: 'harvester' }, { label: 'last partial' }, { label: 'partials 24 h', num: true }, { label: 'points 24 h', num: true }, { label: 'estimated space', num: true }, { label: 'partials (all time)', num: true }, { label: 'confirmed points', num: true }, { label: 'plots' }, { label: 'versions' }, { label: 'refused 24 h', num: true }],
        harvesters.map((x) =>
          h(
            'tr',
            { 'data-harvester': x.harvesterId },
            td(idCell(x.harvesterId)),
            td(fmtTime(x.lastSeenAt)),
            td(fmtInt(x.partials.last24h), true),
            td(fmtInt(x.points.last24h), true),
            td(fmtBytes(x.estimatedSpace), true, { 'data-value': x.estimatedSpace }),
            td(`${fmtInt(x.partials.submitted)} (${fmtInt(x.partials.confirmed)} confirmed, ${fmtInt(x.partials.reverted)} reverted)`, true, { class: 'wrap' }),
            td(fmtInt(x.points.confirmed), true),
            td(x.plotSizes.map((k) => `k${k}`).join(', ') || '–'),
            td(versions(x), false, { title: x.userAgent ?? '', class: 'wrap' }),
            td(fmtInt(x.refused.last24h), true, x.refused.last24h > 0 ? { class: 'error' } : {}),
          ),
        ),
        { id: 'harvesters-table' },
      ),
      h('p', { class: 'muted' }, "Space is estimated from each harvester's points of the last 24 h, over the time since it was first seen when that is shorter. Partials accepted before the pool kept harvester ids count in the figures above, not here."),
    ),
  ];
}

/** Partials the pool refused this farmer: why, and which harvester sent them (the answer each was given, in words). */
async function refusedPartialsSection(launcherId) {
  const refused = await api(`/api/farmers/${launcherId}/refused-partials?limit=25`);
  const reasons = (x) => x.byErrorCode.map((c) => `${c.reason} × ${fmtInt(c.count)}`).join(', ');
  return [
    h('h2', {}, 'Refused partials'),
    h(
      'div',
      { class: 'panel' },
      table(
        [{ label: 'harvester' }, { label: 'refused in 24 h', num: true }, { label: 'why' }, { label: 'last refused' }],
        refused.last24h.harvesters.map((x) => h('tr', { 'data-harvester': x.harvesterId }, td(idCell(x.harvesterId)), td(fmtInt(x.refused), true), td(reasons(x), false, { class: 'explain' }), td(fmtTime(x.lastRefusedAt)))),
        { id: 'refusals-by-harvester' },
      ),
      table(
        [{ label: 'received' }, { label: 'harvester' }, { label: 'reason' }, { label: 'what the pool answered' }],
        refused.items.map((x) => h('tr', { 'data-error-code': x.errorCode }, td(fmtTime(x.refusedAt)), td(idCell(x.harvesterId)), td(h('strong', {}, x.reason)), td(x.message, false, { class: 'explain' }))),
        { id: 'refused-partials' },
      ),
      h('p', { class: 'muted' }, 'Refusals are kept for the retention window; each is the answer your farmer was given. Partials refused because the pool did not know the farmer are not kept.'),
    ),
  ];
}
