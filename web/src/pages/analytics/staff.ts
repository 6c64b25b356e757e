// analytics (#20): the staff dashboard: live counters (every node, pushed every 2 s over
// /ws/user/ once subscribed: `analytics_live`, renewed every 20 s; read over REST only when
// the socket is not open), daily active users with the 14-day Holt-Winters forecast and
// its 80% band, and the cohorts.
import { api } from '../../api';
import { on, send } from '../../user-socket';
import { h, clear, errorText } from '../../ui';
import { lineChart, seconds } from './charts';
import { cohortsSection } from './cohorts';

interface Live { nodes: number; sockets: number; watching_now: number; active_parties: number; events_per_minute: number }
interface Predictive {
  history: { date: string; value: number }[];
  forecast: { date: string; value: number; lower: number; upper: number }[] | null; reason?: string;
  parameters?: { alpha: number; beta: number; gamma: number }; backtest?: { mape: number | null };
}

function counter(label: string, key: string) {
  const value = h('div', { class: 'stat-value' }, '—');
  return { el: h('div', { class: 'stat', dataset: { live: key } }, value, h('div', { class: 'muted small' }, label)), value };
}

export async function analyticsDashboardPage(root: HTMLElement) {
  const counters = {
    sockets: counter('Open sockets', 'sockets'), watching_now: counter('Watching in parties now', 'watching_now'),
    active_parties: counter('Active parties', 'active_parties'), events_per_minute: counter('Events per minute', 'events_per_minute'),
    nodes: counter('Nodes', 'nodes'),
  };
  const live = h('div', { class: 'stats', 'aria-live': 'polite' }, Object.values(counters).map((c) => c.el));
  const dau = h('div', { class: 'chart-box' }), model = h('p', { class: 'muted small' });
  const cohorts = h('div', { id: 'cohorts' });
  root.append(h('section', { class: 'card' }, h('h1', null, 'Analytics'), live, h('h2', null, 'Daily active users'), dau, model,
    h('h2', null, 'Cohorts'), cohorts));
  const show = (r: Live) => {
    for (const [k, c] of Object.entries(counters)) c.value.textContent = String(Math.round((r as any)[k]));
  };
  const refresh = async () => {
    try { show(await api<Live>('/api/analytics/real-time/')); } catch { /* the next renewal tries again */ }
  };
  const subscribe = () => send({ type: 'analytics_live', subscribe: true });
  const offLive = on('analytics_live', show);
  const offOpen = on('connected', subscribe);  // a reconnected socket starts without the subscription
  if (!subscribe()) await refresh();
  const timer = window.setInterval(() => { if (!subscribe()) refresh(); }, 20_000);
  let cleanup: (() => void) | undefined;
  try {
    const p = await api<Predictive>('/api/analytics/predictive/?metric=daily_active_users');
    const f = p.forecast ?? [];
    const xs = [...p.history.map((d) => seconds(d.date)), ...f.map((d) => seconds(d.date))];
    const pad = (n: number) => new Array<number | null>(n).fill(null);
    cleanup = lineChart(dau, 'Daily active users and forecast', xs, [
      { label: 'active users', values: [...p.history.map((d) => d.value), ...pad(f.length)], color: '#6c8cff' },
      { label: 'forecast', values: [...pad(p.history.length), ...f.map((d) => d.value)], color: '#3ecf8e' },
      { label: '80% low', values: [...pad(p.history.length), ...f.map((d) => d.lower)], color: '#3ecf8e', dash: [4, 4] },
      { label: '80% high', values: [...pad(p.history.length), ...f.map((d) => d.upper)], color: '#3ecf8e', dash: [4, 4] },
    ], 'users');
    model.textContent = p.forecast && p.parameters
      ? `Holt-Winters (additive, weekly): α ${p.parameters.alpha}, β ${p.parameters.beta}, γ ${p.parameters.gamma}; ` +
        `backtest MAPE on the last 28 days: ${p.backtest?.mape == null ? '—' : p.backtest.mape.toFixed(1) + ' %'}`
      : p.reason ?? '';
  } catch (e) {
    clear(dau, h('p', { class: 'error', role: 'alert' }, errorText(e)));
  }
  const cohortsCleanup = await cohortsSection(cohorts);
  return () => {
    clearInterval(timer);
    offLive();
    offOpen();
    send({ type: 'analytics_live', subscribe: false });
    cleanup?.();
    cohortsCleanup?.();
  };
}
