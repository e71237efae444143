import type { PoolStatsResponse } from '../read-api/pool-stats/pool-stats.response';

/** Text for HTML: everything the page shows from the config or the ledger passes through here. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const thousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Mojos as XCH, rounded half up to six decimals (the dashboard's rule); dust is shown exactly rather than as 0. */
export function xchText(mojos: string): string {
  const value = BigInt(mojos);
  const rounded = (value + 500_000n) / 1_000_000n;
  if (rounded === 0n && value !== 0n) {
    const exact = value.toString().padStart(13, '0');
    return `${thousands(exact.slice(0, -12).replace(/^0+(?=\d)/, ''))}.${exact.slice(-12).replace(/0+$/, '')} XCH`;
  }
  const digits = rounded.toString().padStart(7, '0');
  const fraction = digits.slice(-6).replace(/0+$/, '');
  return `${thousands(digits.slice(0, -6))}${fraction ? `.${fraction}` : ''} XCH`;
}

/** Bytes in binary units with two decimals (display only). */
export function bytesText(bytes: string): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB'];
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(2)} ${units[unit]}`;
}

const figure = (label: string, field: string, value: string, note?: string): string =>
  `<div class="card"><dt>${escapeHtml(label)}</dt><dd data-field="${field}"><span class="figure">${escapeHtml(value)}</span>${note ? `<small>${escapeHtml(note)}</small>` : ''}</dd></div>`;

function schemeText(stats: PoolStatsResponse): string {
  const p = stats.payouts;
  if (p.scheme === 'prop') return 'PROP: every confirmed point since the last payout shares the next one';
  if (p.pplnsWindowPoints !== null) return `PPLNS: the last ${thousands(p.pplnsWindowPoints)} points share each payout`;
  return `PPLNS: the points of the last ${Math.round((p.pplnsWindowSeconds ?? 0) / 3600)} hours share each payout`;
}

/**
 * The pool's front page: what it is, what it charges and how it pays, how to join with the Chia client, and where
 * it stands now. Plain HTML with the dashboard's stylesheet and no script (its Content-Security-Policy applies).
 */
export function renderLandingPage(stats: PoolStatsResponse, poolUrl: string): string {
  const name = escapeHtml(stats.pool.name);
  const url = escapeHtml(poolUrl);
  const fee = `${(stats.fee.basisPoints / 100).toFixed(2)} %`;
  const effort = stats.effort.percent === null ? '–' : `${stats.effort.percent} %`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${name}</title>
  <meta name="description" content="${escapeHtml(stats.pool.description)}">
  <link rel="stylesheet" href="/dashboard/static/style.css">
</head>
<body>
  <header>
    <a class="brand" href="/">${name}</a>
    <nav>
      <a href="/dashboard">Dashboard</a>
      <a href="/dashboard/blocks">Blocks</a>
      <a href="/dashboard/payouts">Payouts</a>
      <a href="/dashboard/leaderboard">Leaderboard</a>
      <a href="/dashboard/verify">Verify</a>
      <a href="/api/docs">API</a>
    </nav>
  </header>
  <main id="landing">
    <section class="hero">
      <h1 id="pool-title">${name}</h1>
      <p class="lead">${escapeHtml(stats.pool.description)}</p>
      <div class="actions"><a href="/dashboard">Pool dashboard →</a><a href="#join">How to join</a><a href="/dashboard/verify">Verify your payouts</a></div>
    </section>
    <h2>Terms</h2>
    <dl class="cards" id="pool-terms">
      ${figure('Pool fee', 'fee', fee, 'of every block reward the pool wins')}
      ${figure('Payout scheme', 'scheme', stats.payouts.scheme.toUpperCase(), schemeText(stats))}
      ${figure('Minimum payout', 'minimumPayout', xchText(stats.payouts.minimumPayout), 'smaller balances are carried to a later payout')}
      ${figure('Payouts', 'payoutInterval', `every ${Math.max(1, Math.round(stats.payouts.intervalSeconds / 60))} min`, 'when there is a reward to share')}
    </dl>
    <h2>Now</h2>
    <dl class="cards" id="pool-figures">
      ${figure('Estimated space', 'estimatedSpace', bytesText(stats.estimatedSpace), 'from the farmers\' points')}
      ${figure('Farmers', 'farmers', thousands(String(stats.farmers.members)), `${stats.farmers.active24h} active in 24 h`)}
      ${figure('Blocks won', 'blocksWon', thousands(String(stats.blocks.won)), stats.blocks.last?.farmedHeight ? `last at height ${thousands(String(stats.blocks.last.farmedHeight))}` : 'none yet')}
      ${figure('Effort', 'effort', effort, 'points since the last block, against a block\'s worth')}
      ${figure('Paid to farmers', 'paid', xchText(stats.payouts.paidToFarmers), `${stats.payouts.count} payouts`)}
    </dl>
    <h2 id="join">How to join</h2>
    <div class="panel">
      <ol class="steps" id="join-steps">
        <li>With the Chia client synced, create a plot NFT that farms to this pool:
          <pre><code>chia plotnft create -s pool -u ${url}</code></pre>
          or, with a plot NFT you already have, find its wallet id with <code>chia plotnft show</code> and switch it here:
          <pre><code>chia plotnft join -i &lt;wallet id&gt; -u ${url}</code></pre>
          A plot NFT leaving another pool waits out that pool's lock (a few blocks) before it farms here.</li>
        <li>Plot with the plot NFT's contract address (the "P2 singleton address" <code>chia plotnft show</code> prints): <code>chia plots create -c &lt;contract address&gt; …</code>. Plots made with it can move between pools without replotting.</li>
        <li>Your farmer sends partials on its own. See your points, harvesters and payouts on the dashboard, or open your own page with the link <code>chia plotnft get_login_link -l &lt;launcher id&gt;</code> prints.</li>
      </ol>
    </div>
    <p class="explain">Every point and mojo is in the pool's public ledger: anyone can download it and recompute every payout (see Verify).</p>
  </main>
  <footer>Figures are ledger time, UTC, from the pool's read API (<code>/api</code>).</footer>
</body>
</html>
`;
}

/** What `/` answers while the pool's figures cannot be read (503). */
export function unavailablePage(reason: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Pool</title>
<link rel="stylesheet" href="/dashboard/static/style.css"></head>
<body><main><h1>The pool's figures are not available yet</h1><p class="muted">${escapeHtml(reason)}</p>
<p><a href="/dashboard">Pool dashboard</a> · <a href="/api/docs">API</a></p></main></body>
</html>
`;
}
