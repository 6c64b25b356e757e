// My saved searches (#22): open one, turn its daily alert on or off, delete it.
import { api } from '../api';
import { h, clear, errorText, whileLoading } from '../ui';
import { link } from '../nav';
import { toastError } from '../toast';

interface Saved { id: string; name: string; q: string; type: string; filters: Record<string, any>; alert: boolean }

function searchUrl(s: Saved): string {
  const p = new URLSearchParams({ q: s.q });
  if (s.type !== 'all') p.set('type', s.type);
  for (const [k, v] of Object.entries(s.filters)) if (v !== null && v !== undefined) p.set(k, String(v).slice(0, k === 'from' || k === 'to' ? 10 : undefined));
  return '/search?' + p.toString();
}

export function savedSearchesPage(root: HTMLElement) {
  const list = h('ul', { class: 'saved-list', id: 'saved-searches' });
  clear(root, h('section', { class: 'card' }, h('h1', null, 'Saved searches'),
    h('p', { class: 'muted' }, 'With the alert on you get a notification, at most once a day, when something new matches.'), list));
  const load = () => whileLoading(list, api<{ results: Saved[] }>('/api/search/saved/')).then((res) => {
    if (res.results.length === 0) return clear(list, h('li', { class: 'muted' }, 'No saved searches yet.'));
    clear(list, ...res.results.map((s) => h('li', null, link(searchUrl(s), s.name), ' ',
      h('label', null, h('input', {
        type: 'checkbox', checked: s.alert,
        onchange: (e: Event) => api(`/api/search/saved/${s.id}/`, { method: 'PATCH', body: { alert: (e.target as HTMLInputElement).checked } }).catch(toastError),
      }), ' alert'), ' ',
      h('button', { type: 'button', class: 'link', onclick: () => api(`/api/search/saved/${s.id}/`, { method: 'DELETE' }).then(load).catch(toastError) }, 'Delete'))));
  }).catch((e) => clear(list, h('li', { class: 'error' }, errorText(e))));
  load();
}
