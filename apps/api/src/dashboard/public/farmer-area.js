// The farmer area (/dashboard/account): the logged-in farmer's settings, notification targets and sessions, from
// /api/farmer-area (the session cookie the login link set). Every change sends the session's CSRF token; names and
// addresses are shown as text only.
import { copyButton, h, link } from './dom.js';
import { exactXch, fmtTime } from './format.js';

const AREA = '/api/farmer-area';
const MOJOS_PER_XCH = 10n ** 12n;
const KIND_LABELS = { email: 'E-mail', discord: 'Discord webhook', telegram: 'Telegram', webhook: 'Webhook (signed)' };
const EVENT_LABELS = {
  'payout-sent': 'payout sent',
  'payout-confirmed': 'payout confirmed',
  'block-won': 'block won',
  'payout-address-changed': 'payout address changed (always sent)',
  'farmer-offline': 'farmer offline',
  'left-pool': 'left the pool',
};

// The page's own stylesheet, added once: index.html belongs to the whole dashboard.
if (!document.querySelector('link[data-farmer-area]')) {
  document.head.append(h('link', { rel: 'stylesheet', href: '/dashboard/static/farmer-area.css', 'data-farmer-area': '' }));
}

class AreaError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(path, { method = 'GET', body, csrf } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrf) headers['x-csrf-token'] = csrf;
  const response = await fetch(`${AREA}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new AreaError(response.status, Array.isArray(answer.message) ? answer.message.join('; ') : answer.message || response.statusText);
  return answer;
}

/** "0.5" XCH as mojos ("500000000000"), exactly; null for an empty field; throws for anything else. */
export function xchToMojos(text) {
  const typed = text.trim().replace(/\s*xch$/i, '');
  if (typed === '') return null;
  const match = /^(\d{1,9})(?:\.(\d{1,12}))?$/.exec(typed);
  if (!match) throw new Error('write the amount in XCH, e.g. 0.5 (at most 12 decimals)');
  return (BigInt(match[1]) * MOJOS_PER_XCH + BigInt((match[2] ?? '').padEnd(12, '0'))).toString();
}

const xchText = (mojos) => exactXch(mojos).replace(/ XCH$/, '');
const message = (kind, text, id) => h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', ...(id ? { id } : {}) }, text);

function loggedOut(reason) {
  document.title = 'Farmer area – dashboard';
  return [
    h('h1', {}, 'Farmer area'),
    message('error', reason, 'area-logged-out'),
    h('p', {}, 'Open the login link your farmer prints; it is valid for a few minutes and opens a session here:'),
    h('pre', { class: 'mono-wrap' }, h('code', {}, 'chia plotnft get_login_link -l <your launcher id>')),
    h('p', {}, 'On the devnet: ', h('code', { class: 'mono-wrap' }, 'npm run poolctl -- devnet login-link <launcher id>'), '.'),
  ];
}

/** The whole page. After a change it draws itself again (the router does not redraw it: typing would be lost). */
export async function farmerAreaPage() {
  let me;
  try {
    me = await call('');
  } catch (error) {
    if (error instanceof AreaError && error.status === 401) return loggedOut('You are not logged in, or this session was ended or has expired.');
    throw error;
  }
  document.title = 'Farmer area – dashboard';
  const [targets, sessions] = await Promise.all([call('/notification-targets'), call('/sessions')]);
  const page = h('div', { class: 'farmer-area', id: 'farmer-area' });
  const redraw = async () => page.replaceWith(...(await farmerAreaPage()));
  page.append(
    h('h1', {}, me.displayName ? `${me.displayName}: your farmer area` : 'Your farmer area'),
    h('p', { class: 'muted' }, 'Plot NFT ', h('code', { class: 'mono-wrap', id: 'area-launcher' }, me.launcherId), ' ', copyButton(me.launcherId), ' · ', link(`/dashboard/farmer/${me.launcherId}`, 'public farmer page')),
    settingsSection(me, redraw),
    targetsSection(me, targets, redraw),
    sessionsSection(me, sessions.sessions, redraw),
  );
  return [page];
}

function settingsSection(me, redraw) {
  const name = h('input', { id: 'setting-name', name: 'displayName', maxlength: '32', autocomplete: 'off', value: me.displayName ?? '', placeholder: 'shown on the leaderboard' });
  const minimum = h('input', { id: 'setting-minimum', name: 'minimumPayout', inputmode: 'decimal', autocomplete: 'off', value: me.minimumPayout === null ? '' : xchText(me.minimumPayout), placeholder: `${xchText(me.pool.minimumPayout)} (the pool's)` });
  const result = h('div', { id: 'settings-result' });
  const form = h(
    'form',
    { id: 'settings-form', class: 'area-form' },
    h('label', { for: 'setting-name' }, 'Display name'),
    name,
    h('small', { class: 'muted' }, 'Up to 32 letters, digits, spaces and _ . \' & + # @ ( ) ! -; blank: none. It is public: the ledger records it.'),
    h('label', { for: 'setting-minimum' }, 'Minimum payout (XCH)'),
    minimum,
    h('small', { class: 'muted' }, `At least the pool's ${xchText(me.pool.minimumPayout)} XCH, at most ${xchText(me.pool.maximumFarmerMinimumPayout)} XCH; blank: the pool's. Below it your balance is carried to the next payout.`),
    h('div', {}, h('button', { type: 'submit', id: 'settings-save' }, 'Save settings')),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const body = { displayName: name.value, minimumPayout: xchToMojos(minimum.value) };
      await call('/settings', { method: 'POST', body, csrf: me.csrfToken });
      await redraw();
      document.getElementById('settings-result')?.replaceChildren(message('ok', 'Saved: recorded in the ledger.', 'settings-saved'));
    } catch (error) {
      result.replaceChildren(message('error', error.message, 'settings-error'));
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'settings-title' }, h('h2', { id: 'settings-title' }, 'Settings'), form);
}

function targetsSection(me, { targets, kinds }, redraw) {
  const list = h(
    'ul',
    { class: 'area-list', id: 'notification-targets' },
    targets.length === 0 ? h('li', { class: 'muted' }, 'No notification target yet.') : null,
    targets.map((t) =>
      h(
        'li',
        { 'data-target': t.id, 'data-kind': t.kind },
        h('strong', {}, KIND_LABELS[t.kind] ?? t.kind),
        ' ',
        h('code', { class: 'mono-wrap' }, t.address),
        h('br'),
        h('small', {}, t.events.map((e) => EVENT_LABELS[e] ?? e).join(', ')),
        t.pausedAt !== null ? h('p', { class: 'notice error' }, `Paused since ${fmtTime(t.pausedAt)} after ${t.failures} failed deliveries${t.lastError ? `: ${t.lastError}` : ''}.`) : null,
        t.pausedAt === null && t.lastError ? h('p', { class: 'muted' }, `Last delivery failed: ${t.lastError}`) : null,
        h(
          'div',
          { class: 'area-actions' },
          t.pausedAt !== null ? actionButton('Resume', `/notification-targets/${t.id}/resume`, me, redraw) : null,
          actionButton('Remove', `/notification-targets/${t.id}/remove`, me, redraw),
        ),
      ),
    ),
  );
  const kind = h('select', { id: 'target-kind', name: 'kind' }, Object.entries(KIND_LABELS).map(([value, label]) => h('option', { value, disabled: value === 'email' && !me.pool.emailNotifications }, label)));
  kind.value = 'webhook';
  const address = h('input', { id: 'target-address', name: 'address', autocomplete: 'off', placeholder: 'https://… or you@example.com or <botToken>:<chatId>' });
  const boxes = kinds.map((k) =>
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'events', value: k, checked: k !== 'farmer-offline', disabled: k === 'payout-address-changed' }), ` ${EVENT_LABELS[k] ?? k}`),
  );
  const result = h('div', { id: 'target-result' });
  const form = h(
    'form',
    { id: 'target-form', class: 'area-form' },
    h('label', { for: 'target-kind' }, 'Send to'),
    kind,
    h('label', { for: 'target-address' }, 'Address'),
    address,
    h('fieldset', {}, h('legend', {}, 'Tell me about'), boxes),
    h('div', {}, h('button', { type: 'submit', id: 'target-add' }, 'Add target')),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const events = [...form.querySelectorAll('input[name=events]:checked')].map((box) => box.value);
      const added = await call('/notification-targets', { method: 'POST', body: { kind: kind.value, address: address.value.trim(), events }, csrf: me.csrfToken });
      await redraw();
      const shown = document.getElementById('target-result');
      if (shown && added.secret) {
        shown.replaceChildren(
          message('ok', 'Added. Your webhook signs each delivery with this secret (HMAC-SHA256). It is shown only now: keep it.'),
          h('p', {}, h('code', { class: 'mono-wrap', id: 'target-secret' }, added.secret), ' ', copyButton(added.secret)),
        );
      } else shown?.replaceChildren(message('ok', 'Added.', 'target-added'));
    } catch (error) {
      result.replaceChildren(message('error', error.message, 'target-error'));
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'targets-title' }, h('h2', { id: 'targets-title' }, 'Notifications'), list, form);
}

function sessionsSection(me, sessions, redraw) {
  const ended = () => document.getElementById('farmer-area')?.replaceWith(...loggedOut('This session has ended. Log in again with a new login link.'));
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'sessions-title' },
    h('h2', { id: 'sessions-title' }, 'Sessions'),
    h('p', { class: 'muted' }, `This session ends at ${fmtTime(me.session.expiresAt)}.`),
    h(
      'ul',
      { class: 'area-list', id: 'sessions' },
      sessions.map((s) =>
        h(
          'li',
          { 'data-session': s.handle, class: s.current ? 'current' : undefined },
          h('strong', {}, s.current ? 'This session' : `Session ${s.handle}`),
          h('br'),
          h('small', {}, `opened ${fmtTime(s.createdAt)}, ends ${fmtTime(s.expiresAt)}`),
          s.userAgent ? h('small', { class: 'mono-wrap muted' }, ` · ${s.userAgent}`) : null,
          s.current ? null : h('div', { class: 'area-actions' }, actionButton('End', '/sessions/end', me, redraw, { handle: s.handle })),
        ),
      ),
    ),
    h('div', { class: 'area-actions' }, actionButton('End this session', '/logout', me, ended, undefined, 'end-session'), actionButton('End all sessions', '/sessions/end-all', me, ended, undefined, 'end-all-sessions')),
  );
}

function actionButton(label, path, me, then, body = {}, id) {
  const button = h('button', { type: 'button', class: 'secondary', ...(id ? { id } : {}) }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await call(path, { method: 'POST', body, csrf: me.csrfToken });
      await then();
    } catch (error) {
      button.after(message('error', error.message));
      button.disabled = false;
    }
  });
  return button;
}
