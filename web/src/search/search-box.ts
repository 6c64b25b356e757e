// The search box of the top bar (#22): autocomplete from /api/search/suggest/
// (a datalist, refreshed as the person types), Enter opens the results page.
import { api } from '../api';
import { h } from '../ui';
import { navigate } from '../nav';

interface Suggestion { type: string; id: string; text: string; url: string }

export function searchBox(): HTMLElement {
  const list = h('datalist', { id: 'search-suggestions' });
  const input = h('input', {
    type: 'search', name: 'q', id: 'search-q', list: 'search-suggestions', placeholder: 'Search',
    autocomplete: 'off', 'aria-label': 'Search videos, parties, people, groups and events', maxlength: 200,
    value: location.pathname === '/search' ? new URLSearchParams(location.search).get('q') ?? '' : '',
  });
  let timer = 0;
  let asked = '';
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const q = input.value.trim();
      if (q.length < 2 || q === asked) return;
      asked = q;
      try {
        const res = await api<{ results: Suggestion[] }>('/api/search/suggest/', { query: { q } });
        if (input.value.trim() !== q) return;  // typed on meanwhile
        list.replaceChildren(...res.results.map((s) => h('option', { value: s.text }, `${s.text} (${s.type})`)));
      } catch {
        list.replaceChildren();  // autocomplete is a help, not a page: no toast
      }
    }, 150);
  });
  return h('form', {
    class: 'searchbox', role: 'search', 'aria-label': 'Site search',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const q = input.value.trim();
      if (q) navigate('/search?q=' + encodeURIComponent(q));
    },
  }, input, list);
}
