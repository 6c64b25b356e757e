// analytics (#20): cohorts by signup week (GET /api/analytics/cohorts/) on the staff
// dashboard: a line per recent cohort (share active by week since signup) and the table.
import { api } from '../../api';
import { h, clear, errorText } from '../../ui';
import { lineChart } from './charts';

interface Cohorts {
  cohorts: { week_start: string; size: number; retention: { week: number; active: number; share: number }[] }[];
}

const COLORS = ['#6c8cff', '#3ecf8e', '#f5a524', '#e5484d', '#a78bfa', '#22d3ee'];
const pct = (x: number) => `${Math.round(x * 100)} %`;

function table(c: Cohorts) {
  const weeks = Math.max(0, ...c.cohorts.map((x) => x.retention.length));
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Cohorts by signup week' },
    h('table', { class: 'table', id: 'cohort-table' },
      h('caption', { class: 'muted small' }, 'Share of each signup week active in each week since (week 0: the signup week)'),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Signup week'), h('th', { scope: 'col' }, 'Users'),
        Array.from({ length: weeks }, (_, k) => h('th', { scope: 'col' }, `Week ${k}`)))),
      h('tbody', null, c.cohorts.map((x) => h('tr', { dataset: { cohort: x.week_start } },
        h('th', { scope: 'row' }, x.week_start), h('td', null, String(x.size)),
        Array.from({ length: weeks }, (_, k) => h('td', null, k < x.retention.length ? pct(x.retention[k].share) : '')))))));
}

/** Fills `box` with the cohorts chart and table; returns the chart's cleanup. */
export async function cohortsSection(box: HTMLElement): Promise<(() => void) | undefined> {
  try {
    const c = await api<Cohorts>('/api/analytics/cohorts/?weeks=12');
    if (!c.cohorts.length) { clear(box, h('p', { class: 'muted' }, 'No signups in the last 12 weeks.')); return; }
    const recent = c.cohorts.slice(-COLORS.length);
    const weeks = Math.max(...recent.map((x) => x.retention.length));
    const chart = h('div', { class: 'chart-box', id: 'cohort-chart' });
    clear(box, chart, table(c));
    return lineChart(chart, 'Retention by signup week', Array.from({ length: weeks }, (_, k) => k),
      recent.map((x, i) => ({
        label: `${x.week_start} (${x.size})`, color: COLORS[i],
        values: Array.from({ length: weeks }, (_, k) => (k < x.retention.length ? Math.round(x.retention[k].share * 1000) / 10 : null)),
      })), '% active', false);
  } catch (e) {
    clear(box, h('p', { class: 'error', role: 'alert' }, errorText(e)));
    return;
  }
}
