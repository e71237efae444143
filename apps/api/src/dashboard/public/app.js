// The pool dashboard: plain ES modules, reading only the read API (/api/...). Pages route on the client by path;
// each page lives in its own module and returns the nodes it shows.
import { api, ApiError, h, link, setExplorer } from './dom.js';
import { farmerPage } from './farmer-page.js';
import { blocksPage, leaderboardPage, overview, payoutPage, payoutsPage } from './pool-pages.js';
import { verifyHowToPage, verifyPage } from './verify-page.js';

const view = document.getElementById('view');

/** A launcher id as typed or linked ("0xAB…") in the API's form (lower-case hex, no prefix). */
const launcherOf = (text) => decodeURIComponent(text).toLowerCase().replace(/^0x/, '');

/**
 * Every page: the path it answers (a RegExp whose groups are passed to `page`), and whether it follows the living
 * pool (redrawn every REFRESH_MS while the tab is visible). A path none of them matches shows "not found".
 */
const ROUTES = [
  { path: /^\/dashboard$/, page: () => overview(), live: true },
  { path: /^\/dashboard\/blocks$/, page: () => blocksPage(showError) },
  { path: /^\/dashboard\/payouts$/, page: () => payoutsPage(showError) },
  { path: /^\/dashboard\/payouts\/([^/]+)$/, page: (id) => payoutPage(decodeURIComponent(id)) },
  { path: /^\/dashboard\/leaderboard$/, page: () => leaderboardPage() },
  { path: /^\/dashboard\/farmer\/([^/]+)$/, page: (id) => farmerPage(launcherOf(id)), live: true },
  { path: /^\/dashboard\/verify$/, page: () => verifyHowToPage() },
  { path: /^\/dashboard\/verify\/([^/]+)\/([^/]+)$/, page: (payout, launcher) => verifyPage(decodeURIComponent(payout), launcherOf(launcher)) },
  // The private farmer area the login link opens (farmer-area.js); not live: a redraw would lose what is being typed.
  { path: /^\/dashboard\/account$/, page: async () => (await import('./farmer-area.js')).farmerAreaPage() },
];

function notFound(path) {
  document.title = 'Not found – dashboard';
  return [
    h('h1', { id: 'not-found' }, 'Not found'),
    h('p', {}, 'There is no dashboard page at ', h('code', { class: 'mono-wrap' }, path), '.'),
    h('p', {}, link('/dashboard', 'The pool overview'), ' · ', link('/dashboard/leaderboard', 'the leaderboard'), ' · or look a farmer up by its launcher id above.'),
  ];
}

function showError(error) {
  view.replaceChildren(h('h1', {}, 'Something went wrong'), h('p', { class: 'error' }, error instanceof ApiError ? `${error.status}: ${error.message}` : String(error)));
}

const REFRESH_MS = 15_000;
let refreshTimer;

async function route() {
  clearTimeout(refreshTimer);
  const path = location.pathname.replace(/\/+$/, '') || '/dashboard';
  let live = false;
  view.setAttribute('aria-busy', 'true');
  try {
    const match = ROUTES.map((r) => ({ route: r, groups: r.path.exec(path) })).find((m) => m.groups !== null);
    live = match?.route.live === true;
    const content = match ? await match.route.page(...match.groups.slice(1)) : notFound(path);
    view.replaceChildren(...content.filter((node) => node !== null && node !== undefined));
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

function navigate(href) {
  history.pushState(null, '', href);
  void route();
}

document.addEventListener('click', (event) => {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0 || !(event.target instanceof Element)) return;
  const anchor = event.target.closest('a[data-link]');
  if (anchor) {
    event.preventDefault();
    navigate(anchor.getAttribute('href'));
    return;
  }
  // A clickable row leads where its first link does, unless the click was on a link or button of its own.
  const row = event.target.closest('tr[data-href]');
  if (row && !event.target.closest('a, button')) navigate(row.getAttribute('data-href'));
});
window.addEventListener('popstate', () => void route());
document.getElementById('lookup').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = document.getElementById('lookup-id').value.trim().toLowerCase().replace(/^0x/, '');
  navigate(`/dashboard/farmer/${encodeURIComponent(id)}`);
});

// The pool's name and explorer come first: every page's links to coins and transactions need the explorer.
api('/api/pool/stats')
  .then((stats) => {
    document.getElementById('pool-name').textContent = stats.pool.name;
    setExplorer(stats.explorer);
  })
  .catch(() => undefined)
  .finally(() => void route());
