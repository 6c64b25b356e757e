// analytics (#20): line charts (uPlot) of a daily or hourly series, with an optional
// band (the forecast's 80% interval) drawn as two dashed lines around the forecast.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Line { label: string; values: (number | null)[]; color: string; dash?: number[] }

export function lineChart(box: HTMLElement, title: string, xs: number[], lines: Line[], unit: string,
  xIsTime = true): () => void {
  const width = () => Math.max(240, box.clientWidth - 8);
  const plot = new uPlot({
    title, width: width(), height: 220,
    scales: { x: { time: xIsTime } },
    axes: [{ stroke: '#9aa3b2' }, { stroke: '#9aa3b2', label: unit, grid: { stroke: '#262b36' } }],
    series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 2, dash: l.dash, spanGaps: false }))],
  }, [xs, ...lines.map((l) => l.values)] as uPlot.AlignedData, box);
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 220 }));
  resize.observe(box);
  return () => { resize.disconnect(); plot.destroy(); };
}

export const seconds = (iso: string) => Math.round(Date.parse(iso) / 1000);
