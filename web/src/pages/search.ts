// Search results (#22): tabs by kind, filters, "did you mean", highlighted
// matches. Everything is in the address (?q=&type=&ordering=...), so the back
// button returns to the same results. Following a result records the click.
import { api, me } from '../api';
import { h, clear, errorText, whileLoading } from '../ui';
import { link, navigate } from '../nav';
import { toastError } from '../toast';

interface Hit {
  type: string; id: string; title: string; url: string; status?: string; created_at: string;
  highlights: { title: string; text: string };
}
interface Kind { count: number; count_capped: boolean; results: Hit[] }
interface Answer {
  type: string; query: string; query_id: string; did_you_mean: string | null; count: number;
  results: Record<string, Kind> | Hit[]; next?: string | null; previous?: string | null;
}

const TABS: [string, string][] = [['all', 'All'], ['video', 'Videos'], ['party', 'Parties'], ['user', 'People'],
  ['group', 'Groups'], ['event', 'Events']];
const FILTERS = ['category', 'from', 'to', 'min_duration', 'max_duration', 'status', 'ordering'];

function params(): URLSearchParams { return new URLSearchParams(location.search); }

function withParams(change: Record<string, string | null>): string {
  const p = params();
  for (const [k, v] of Object.entries(change)) {
    if (v) p.set(k, v);
    else p.delete(k);
  }
  return '/search?' + p.toString();
}

/** The server sends the fragments as HTML: the text escaped, the matched words in <mark>. */
function marked(html: string, cls: string): HTMLElement {
  const span = h('span', { class: cls });
  span.innerHTML = html;
  return span;
}

function hitItem(hit: Hit, queryId: string): HTMLElement {
  const a = h('a', {
    href: hit.url, class: 'search-hit', 'data-type': hit.type, 'data-id': hit.id,
    onclick: async (e: MouseEvent) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      try {
        await api('/api/search/click/', { method: 'POST', body: { query_id: queryId, type: hit.type, id: hit.id } });
      } catch { /* the click is a measure; following the link matters more */ }
      navigate(hit.url);
    },
  }, marked(hit.highlights.title || hit.title, 'hit-title'));
  return h('li', { class: 'search-result' }, a, ' ',
    h('span', { class: 'muted small' }, hit.type + (hit.status ? ` · ${hit.status}` : '')),
    hit.highlights.text ? h('div', { class: 'small' }, marked(hit.highlights.text, 'hit-text')) : null);
}

function filtersForm(): HTMLElement {
  const p = params();
  const input = (name: string, attrs: Record<string, any> = {}) =>
    h('label', null, name.replace('_', ' ') + ' ', h('input', { name, value: p.get(name) ?? '', ...attrs }));
  const ordering = h('select', { name: 'ordering' },
    ...[['relevance', 'Relevance'], ['newest', 'Newest'], ['popular', 'Popular']].map(([v, t]) =>
      h('option', { value: v, selected: (p.get('ordering') ?? 'relevance') === v }, t)));
  return h('form', {
    class: 'card filters', 'aria-label': 'Filters',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const data = new FormData(e.target as HTMLFormElement);
      const change: Record<string, string | null> = { page: null };
      for (const k of FILTERS) change[k] = String(data.get(k) ?? '').trim() || null;
      if (change.ordering === 'relevance') change.ordering = null;
      navigate(withParams(change));
    },
  }, input('category'), input('from', { type: 'date' }), input('to', { type: 'date' }),
  input('min_duration', { type: 'number', min: 0 }), input('max_duration', { type: 'number', min: 0 }),
  input('status'), h('label', null, 'ordering ', ordering), h('button', { type: 'submit' }, 'Apply'));
}

async function saveSearch(q: string) {
  const name = window.prompt('Name this search', q);
  if (!name) return;
  const p = params();
  const filters: Record<string, any> = {};
  for (const k of FILTERS) {
    const v = p.get(k);
    if (v) filters[k] = k.endsWith('duration') ? Number(v) : v;
  }
  try {
    await api('/api/search/saved/', { method: 'POST', body: { name, q, type: p.get('type') ?? 'all', filters, alert: true } });
    navigate('/search/saved');
  } catch (e) {
    toastError(e);
  }
}

export function searchPage(root: HTMLElement) {
  const q = params().get('q') ?? '';
  const type = params().get('type') ?? 'all';
  const results = h('div', { id: 'search-results', 'aria-live': 'polite' });
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Kinds' }, TABS.map(([t, label]) =>
    link(withParams({ type: t === 'all' ? null : t, page: null }), label, { 'aria-current': t === type ? 'page' : undefined })));
  clear(root, h('section', { class: 'card' },
    h('h1', null, q ? `Search: ${q}` : 'Search'), tabs,
    me() ? h('button', { type: 'button', class: 'link', id: 'save-search', onclick: () => saveSearch(q) }, 'Save this search') : null,
    link('/search/saved', 'Saved searches')), filtersForm(), results);
  if (!q) return;
  const query: Record<string, string> = {};
  params().forEach((v, k) => { query[k] = v; });
  whileLoading(results, api<Answer>('/api/search/', { query })).then((a) => {
    const items: HTMLElement[] = [];
    if (a.did_you_mean) {
      items.push(h('p', { class: 'did-you-mean', id: 'did-you-mean' }, 'No results for “', q, '”. Did you mean ',
        link(withParams({ q: a.did_you_mean }), a.did_you_mean), '? Showing its results.'));
    }
    if (Array.isArray(a.results)) {
      items.push(h('ul', { class: 'search-list' }, a.results.map((hit) => hitItem(hit, a.query_id))));
      if (a.next) items.push(link(withParams({ page: String(Number(params().get('page') ?? '1') + 1) }), 'More results'));
    } else {
      for (const [kind, label] of TABS.slice(1)) {
        const k = a.results[kind];
        if (!k || k.count === 0) continue;
        items.push(h('section', { class: 'card' }, h('h2', null, `${label} (${k.count}${k.count_capped ? '+' : ''})`),
          h('ul', { class: 'search-list' }, k.results.map((hit) => hitItem(hit, a.query_id))),
          k.count > k.results.length ? link(withParams({ type: kind }), `All ${label.toLowerCase()}`) : null));
      }
    }
    if (a.count === 0) items.push(h('p', { class: 'muted' }, 'Nothing found.'));
    clear(results, ...items);
  }).catch((e) => clear(results, h('p', { class: 'error' }, errorText(e))));
}
