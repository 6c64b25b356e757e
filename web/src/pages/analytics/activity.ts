// analytics (#20): "my activity": my watch time and parties by day, from GET /api/analytics/user-behavior/.
import { api } from '../../api';
import { h, clear, errorText, fmtTime } from '../../ui';
import { lineChart, seconds } from './charts';

interface Bucket { bucket_start: string; events: number; watch_time: number; parties_hosted: number; parties_joined: number; social: number }
interface Behavior { totals: Omit<Bucket, 'bucket_start'> & { active_days: number }; series: Bucket[] }

export async function myActivityPage(root: HTMLElement) {
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  root.append(h('section', { class: 'card' }, h('h1', null, 'My activity'), h('p', { class: 'muted' }, 'The last 30 days.'), body));
  let cleanup: (() => void) | undefined;
  try {
    const r = await api<Behavior>('/api/analytics/user-behavior/?granularity=day');
    const t = r.totals;
    const box = h('div', { class: 'chart-box' });
    clear(body, h('ul', { class: 'stats' },
      h('li', { dataset: { stat: 'active_days' } }, `Active days: ${t.active_days}`),
      h('li', { dataset: { stat: 'watch_time' } }, `Watch time: ${fmtTime(t.watch_time)}`),
      h('li', null, `Parties hosted: ${t.parties_hosted}, joined: ${t.parties_joined}`),
      h('li', null, `Friends, messages, groups and events: ${t.social}`)), box);
    cleanup = lineChart(box, 'Watch time per day', r.series.map((b) => seconds(b.bucket_start)),
      [{ label: 'minutes', values: r.series.map((b) => Math.round(b.watch_time / 60)), color: '#6c8cff' }], 'min');
  } catch (e) {
    clear(body, h('p', { class: 'error', role: 'alert' }, errorText(e)));
  }
  return () => cleanup?.();
}
