// A small time-series chart (uPlot) of one performance series: one line per node (or
// per label, for per-route series), sized to its box and redrawn when the box changes.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Point { t: number; node_id: string; label: string; value: number }

const COLORS = ['#6c8cff', '#3ecf8e', '#f5b041', '#ff6b6b', '#c792ea', '#4dd0e1'];

/** Columns for uPlot: shared x (seconds), one y per line; gaps where a line has no point. */
export function columns(points: Point[], by: 'node_id' | 'label'): { names: string[]; data: uPlot.AlignedData } {
  const names = [...new Set(points.map((p) => p[by] || 'all'))].slice(0, COLORS.length);
  const times = [...new Set(points.map((p) => Math.round(p.t / 1000)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const ys = names.map(() => new Array<number | null>(times.length).fill(null));
  for (const p of points) {
    const line = names.indexOf(p[by] || 'all');
    if (line >= 0) ys[line][index.get(Math.round(p.t / 1000))!] = p.value;
  }
  return { names, data: [times, ...ys] as uPlot.AlignedData };
}

export function chart(box: HTMLElement, title: string, points: Point[], by: 'node_id' | 'label', unit: string): () => void {
  const { names, data } = columns(points, by);
  const width = () => Math.max(240, box.clientWidth - 8);
  const plot = new uPlot({
    title, width: width(), height: 200,
    axes: [{ stroke: '#9aa3b2' }, { stroke: '#9aa3b2', label: unit, grid: { stroke: '#262b36' } }],
    series: [{}, ...names.map((n, i) => ({ label: n, stroke: COLORS[i], width: 2, spanGaps: true }))],
  }, data, box);
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 200 }));
  resize.observe(box);
  return () => { resize.disconnect(); plot.destroy(); };
}
