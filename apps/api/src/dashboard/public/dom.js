// DOM helpers and the read API client. Text only: farmer-supplied strings never become markup, and nothing here
// writes a style attribute or an inline script (the dashboard's Content-Security-Policy forbids both).
import { exactXch, fmtXch, short } from './format.js';

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'onclick') node.addEventListener('click', v);
    else node.setAttribute(k, String(v));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  return node;
}

/** A link the client router follows without reloading the page. */
export const link = (href, text, attrs = {}) => h('a', { href, 'data-link': '', ...attrs }, text);
export const status = (s) => h('span', { class: `status ${s}` }, s);

/** What every page shows where a list or a chart has nothing to show yet. */
export const NO_DATA = 'no data yet';
export const empty = (text = NO_DATA) => h('p', { class: 'muted empty' }, text);

/** An amount: XCH at sensible precision, the exact figure (every mojo) in the tooltip and in data-mojos. */
export const xch = (mojos) => h('span', { class: 'amount', title: exactXch(mojos), 'data-mojos': mojos ?? '' }, fmtXch(mojos));

/** A figure: the formatted text, with the API's exact value in data-value for whoever checks it. */
export function card(label, field, value, formatted, note) {
  return h('div', { class: 'card' }, h('dt', {}, label), h('dd', { 'data-field': field, 'data-value': value ?? '' }, h('span', { class: 'figure' }, formatted ?? value ?? '–'), note ? h('small', {}, note) : null));
}

/**
 * A table whose cells carry their column's label (data-label): on a phone each row is shown as a small card of
 * "label value" lines (style.css), so no table is ever wider than the screen.
 */
export function table(columns, rows, attrs = {}) {
  for (const row of rows) {
    [...row.children].forEach((cell, i) => {
      if (columns[i] && !cell.hasAttribute('data-label')) cell.setAttribute('data-label', columns[i].label);
    });
  }
  return h(
    'table',
    { class: 'responsive', ...attrs },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : undefined, scope: 'col' }, c.label)))),
    h('tbody', {}, rows.length === 0 ? h('tr', { class: 'empty-row' }, h('td', { colspan: columns.length, class: 'muted' }, NO_DATA)) : rows),
  );
}

export const td = (content, num = false, attrs = {}) => h('td', { ...attrs, class: [num ? 'num' : '', attrs.class ?? ''].join(' ').trim() || undefined }, content);

/** A button that copies `text`, saying so for a moment (the clipboard needs a secure context: https or localhost). */
export function copyButton(text, label = 'copy') {
  const button = h('button', { type: 'button', class: 'copy', title: `copy ${text}`, 'aria-label': `copy ${text}`, 'data-copy': text }, label);
  button.addEventListener('click', async (event) => {
    event.stopPropagation();
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'copied';
    } catch {
      button.textContent = 'select and copy';
    }
    setTimeout(() => (button.textContent = label), 1500);
  });
  return button;
}

/** A long id shortened to fit a column, the whole id in the tooltip and a copy button; linked when `href` is given. */
export function idCell(id, href, { external = false } = {}) {
  if (!id) return '–';
  const text = short(id);
  const shown = href
    ? external
      ? h('a', { href, class: 'mono', title: id, rel: 'noopener noreferrer', target: '_blank' }, text)
      : link(href, text, { class: 'mono', title: id })
    : h('code', { class: 'mono', title: id }, text);
  return h('span', { class: 'id' }, shown, copyButton(id));
}

export const farmerLink = (id, name) =>
  name ? h('span', { class: 'farmer' }, link(`/dashboard/farmer/${id}`, name, { class: 'name', title: id }), ' ', idCell(id)) : idCell(id, `/dashboard/farmer/${id}`);

// ---------- the read API ----------
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, Array.isArray(body.message) ? body.message.join('; ') : body.message || response.statusText);
  return body;
}

let explorer = { coinUrl: null, transactionUrl: null };
/** The pool's block explorer (from /api/pool/stats), set once at start-up. */
export const setExplorer = (value) => (explorer = value ?? explorer);

/** A coin id linked to the pool's explorer when it has one. */
export const coinCell = (coinId) => idCell(coinId, coinId && explorer.coinUrl ? explorer.coinUrl.replace('{coin}', coinId) : undefined, { external: true });
/** "explorer ↗" for a coin whose whole id is shown already, when the pool links an explorer. */
export const coinExplorerLink = (coinId) =>
  coinId && explorer.coinUrl ? h('a', { href: explorer.coinUrl.replace('{coin}', coinId), rel: 'noopener noreferrer', target: '_blank', class: 'explorer' }, 'explorer ↗') : null;
/** A transaction (spend bundle) id, linked when the pool names an explorer for transactions. */
export const transactionCell = (id) => idCell(id, id && explorer.transactionUrl ? explorer.transactionUrl.replace('{transaction}', id) : undefined, { external: true });

/** A list with a "more" button that follows nextCursor. */
export function cursorList(path, render, onError) {
  const holder = h('div', { class: 'panel' });
  const more = h('button', { type: 'button' }, 'Load more');
  const items = [];
  let cursor = null;
  const load = async () => {
    more.disabled = true;
    const page = await api(`${path}${path.includes('?') ? '&' : '?'}limit=25${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
    holder.replaceChildren(render(items), h('div', { class: 'pager' }, cursor ? more : h('span', { class: 'muted' }, items.length === 0 ? '' : `${items.length} shown, no more`)));
    more.disabled = false;
  };
  more.addEventListener('click', () => load().catch(onError));
  return { holder, load };
}
