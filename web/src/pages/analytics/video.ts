// analytics (#20): a video's analytics for its uploader (and staff): totals, views over
// time and the retention curve, from GET /api/analytics/video/{id}/analytics/.
import { api } from '../../api';
import { h, clear, errorText, fmtTime } from '../../ui';
import { link } from '../../nav';
import { lineChart, seconds } from './charts';

interface Bucket { bucket_start: string; views: number; unique_viewers: number; watch_time: number; likes: number; comments: number }
interface Report {
  video_id: string; totals: Omit<Bucket, 'bucket_start'> & { party_watch_time: number }; series: Bucket[];
  average_completion: number | null; retention: { percent: number; share: number }[]; party_share: number | null;
}

function stat(label: string, value: string, key: string) {
  return h('div', { class: 'stat', dataset: { stat: key } }, h('div', { class: 'stat-value' }, value), h('div', { class: 'muted small' }, label));
}

export async function videoAnalyticsPage(root: HTMLElement, [id]: string[]) {
  const body = h('div', { class: 'analytics' }, h('p', { class: 'muted' }, 'Loading…'));
  root.append(h('section', { class: 'card' }, h('h1', null, 'Video analytics'), link(`/videos/${id}`, 'Back to the video'), body));
  const cleanups: (() => void)[] = [];
  try {
    const r = await api<Report>(`/api/analytics/video/${id}/analytics/?granularity=day`);
    const t = r.totals;
    const views = h('div', { class: 'chart-box' }), retention = h('div', { class: 'chart-box' });
    clear(body,
      h('div', { class: 'stats' },
        stat('Views', String(t.views), 'views'),
        stat('Unique viewers (best day)', String(t.unique_viewers), 'unique_viewers'),
        stat('Watch time', fmtTime(t.watch_time), 'watch_time'),
        stat('Likes', String(t.likes), 'likes'),
        stat('Comments', String(t.comments), 'comments'),
        stat('Average completion', r.average_completion === null ? '—' : `${r.average_completion.toFixed(0)} %`, 'average_completion'),
        stat('Watched in parties', r.party_share === null ? '—' : `${(r.party_share * 100).toFixed(0)} %`, 'party_share')),
      h('h2', null, 'Views, last 30 days'), views,
      h('h2', null, 'Audience retention'), retention);
    cleanups.push(lineChart(views, 'Views per day', r.series.map((b) => seconds(b.bucket_start)),
      [{ label: 'views', values: r.series.map((b) => b.views), color: '#6c8cff' },
        { label: 'unique viewers', values: r.series.map((b) => b.unique_viewers), color: '#3ecf8e' }], 'views'));
    if (r.retention.length)
      cleanups.push(lineChart(retention, 'Share of viewers still watching', r.retention.map((p) => p.percent),
        [{ label: 'share', values: r.retention.map((p) => p.share), color: '#f5b041' }], 'share', false));
    else retention.append(h('p', { class: 'muted' }, 'Nobody has watched it yet.'));
  } catch (e) {
    clear(body, h('p', { class: 'error', role: 'alert' }, errorText(e)));
  }
  return () => cleanups.forEach((c) => c());
}
