// Staff: what people search for over the last days: counts, click-through, the top
// queries and the queries that found nothing (the index's gaps).
import { api } from '../../api';
import { h, clear } from '../../ui';
import { navigate, queryParam } from '../../nav';
import { toastError } from '../../toast';

interface QueryStat { query: string; searches: number; clicks: number }
interface Stats {
  searches: number; with_results: number; clicked: number; click_through_rate: number;
  top_queries: QueryStat[]; zero_result_queries: QueryStat[];
}

const PERIODS: [string, string][] = [['1', 'Last day'], ['7', 'Last 7 days'], ['30', 'Last 30 days'], ['365', 'Last year']];

function table(caption: string, id: string, rows: QueryStat[], clicks: boolean) {
  if (!rows.length) return h('p', { id, class: 'muted' }, `${caption}: none.`);
  return h('table', { id, class: 'table' }, h('caption', null, caption),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Query'), h('th', { scope: 'col' }, 'Searches'),
      clicks ? h('th', { scope: 'col' }, 'Clicks') : null)),
    h('tbody', null, rows.map((r) => h('tr', null, h('td', null, r.query), h('td', null, String(r.searches)),
      clicks ? h('td', null, String(r.clicks)) : null))));
}

export function searchStatsPage(root: HTMLElement) {
  const days = queryParam('days') ?? '7';
  const period = h('select', { id: 'search-stats-days', name: 'days' },
    PERIODS.map(([v, t]) => h('option', { value: v, selected: v === days }, t)));
  period.addEventListener('change', () => navigate(`/admin/search?days=${period.value}`));
  const body = h('div', { id: 'search-stats', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
  root.append(h('h1', null, 'Search'),
    h('div', { class: 'card filters' }, h('div', { class: 'field' }, h('label', { for: period.id }, 'Period'), period)),
    body);
  api<Stats>('/api/search/stats/', { query: { days } }).then((s) => {
    const rate = `${(s.click_through_rate * 100).toFixed(1)} %`;
    clear(body,
      h('dl', { class: 'card facts' },
        h('dt', null, 'Searches'), h('dd', { id: 'search-stats-searches' }, String(s.searches)),
        h('dt', null, 'With results'), h('dd', null, String(s.with_results)),
        h('dt', null, 'Click-through'), h('dd', { id: 'search-stats-ctr' }, rate)),
      h('section', { class: 'card' }, table('Top queries', 'search-stats-top', s.top_queries, true)),
      h('section', { class: 'card' }, table('Queries with no results', 'search-stats-zero', s.zero_result_queries, false)));
  }).catch((e) => { clear(body); toastError(e, 'Search statistics'); });
}
