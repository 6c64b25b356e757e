// Staff dashboard: system health (this node, every node seen in the last minute, the
// queues) refreshed every 10 s, and charts of the performance series of the last hours.
import { api } from '../../api';
import { h, clear, fmtBytes, errorText } from '../../ui';
import { chart, type Point } from './chart';

interface NodeStats {
  node_id: string; version: string; uptime_s: number; seen_at: number;
  database: { latency_ms: number; pool_in_use: number; pool_size: number };
  redis: { configured: boolean; connected: boolean; latency_ms: number | null };
  disk: { free_bytes: number | null; total_bytes: number | null };
  websockets: { party: number; user: number; total: number };
}
interface Health extends NodeStats {
  status: string; nodes_seen_last_minute: number; nodes: NodeStats[]; queues: Record<string, number>;
}

const CHARTS: { name: string; title: string; by: 'node_id' | 'label'; unit: string }[] = [
  { name: 'http_requests_per_s', title: 'Requests per second', by: 'node_id', unit: 'req/s' },
  { name: 'http_p99_ms', title: 'p99 latency by route', by: 'label', unit: 'ms' },
  { name: 'open_websockets', title: 'Open WebSockets', by: 'node_id', unit: 'sockets' },
  { name: 'http_5xx_per_s', title: 'Server errors per second', by: 'node_id', unit: '5xx/s' },
  { name: 'queue_videos', title: 'Video jobs waiting', by: 'node_id', unit: 'jobs' },
  { name: 'queue_mail', title: 'Mail waiting', by: 'node_id', unit: 'mails' },
];

const ms = (v: number | null | undefined) => (v === null || v === undefined || v < 0 ? '—' : `${v.toFixed(1)} ms`);
const uptime = (s: number) => (s >= 86400 ? `${Math.floor(s / 86400)} d ` : '') + new Date(s * 1000).toISOString().slice(11, 19);

function stat(label: string, value: string, bad = false) {
  return h('div', { class: `stat${bad ? ' bad' : ''}` }, h('div', { class: 'stat-value' }, value), h('div', { class: 'muted small' }, label));
}

function healthView(hh: Health) {
  const redis = !hh.redis.configured ? 'not used' : hh.redis.connected ? ms(hh.redis.latency_ms) : 'down';
  const nodes = h('table', { class: 'table' },
    h('caption', { class: 'muted small' }, `${hh.nodes_seen_last_minute} node(s) seen in the last minute`),
    h('thead', null, h('tr', null, ['Node', 'Version', 'Uptime', 'DB', 'Pool', 'Redis', 'Party sockets', 'User sockets', 'Disk free']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, hh.nodes.map((n) => h('tr', { dataset: { node: n.node_id } },
      h('th', { scope: 'row' }, n.node_id), h('td', null, n.version), h('td', null, uptime(n.uptime_s)),
      h('td', null, ms(n.database.latency_ms)), h('td', null, `${n.database.pool_in_use}/${n.database.pool_size}`),
      h('td', null, !n.redis.configured ? '—' : n.redis.connected ? ms(n.redis.latency_ms) : 'down'),
      h('td', null, String(n.websockets.party)), h('td', null, String(n.websockets.user)),
      h('td', null, n.disk.free_bytes === null ? '—' : fmtBytes(n.disk.free_bytes))))));
  return [
    h('div', { class: 'stats', id: 'health-stats' },
      stat('Status', hh.status, hh.status !== 'ok'),
      stat('Database', ms(hh.database.latency_ms), hh.database.latency_ms < 0),
      stat('Redis', redis, hh.redis.configured && !hh.redis.connected),
      stat('Disk free', hh.disk.free_bytes === null ? '—' : fmtBytes(hh.disk.free_bytes)),
      stat('WebSockets', String(hh.websockets.total)),
      stat('Nodes', String(hh.nodes_seen_last_minute)),
      ...Object.entries(hh.queues).map(([q, n]) => stat(`Queue: ${q.replace(/_/g, ' ')}`, String(n)))),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Nodes' }, nodes),
  ];
}

export async function dashboardPage(root: HTMLElement) {
  const healthBox = h('section', { class: 'card', 'aria-labelledby': 'health-title' },
    h('h2', { id: 'health-title' }, 'System health'), h('p', { class: 'muted' }, 'Loading…'));
  const charts = h('div', { class: 'charts' });
  root.append(h('h1', null, 'Admin dashboard'), healthBox,
    h('section', { class: 'card', 'aria-labelledby': 'charts-title' }, h('h2', { id: 'charts-title' }, 'Performance, last 6 hours'), charts));
  const refreshHealth = async () => {
    try {
      const hh = await api<Health>('/api/admin/system-health/');
      clear(healthBox, h('h2', { id: 'health-title' }, 'System health'), ...healthView(hh));
    } catch (e) {
      clear(healthBox, h('h2', { id: 'health-title' }, 'System health'), h('p', { class: 'error', role: 'alert' }, errorText(e)));
    }
  };
  await refreshHealth();
  const timer = window.setInterval(refreshHealth, 10000);
  const destroy: (() => void)[] = [];
  for (const c of CHARTS) {
    const box = h('figure', { class: 'chart', dataset: { series: c.name } });
    charts.append(box);
    const { points } = await api<{ points: Point[] }>(`/api/admin/metrics/${c.name}/`);
    const last = points.length ? points[points.length - 1].value : null;
    box.setAttribute('role', 'img');
    box.setAttribute('aria-label', `${c.title}: ${points.length ? `latest ${last!.toFixed(2)} ${c.unit}` : 'no data yet'}`);
    if (!points.length) { box.append(h('figcaption', null, `${c.title}: no data yet`)); continue; }
    destroy.push(chart(box, c.title, points, c.by, c.unit));
  }
  return () => { clearInterval(timer); destroy.forEach((d) => d()); };
}
