/**
 * Charts (chart.js 4, only the controllers and elements used here are registered, so the rest is tree-shaken):
 * the best-so-far line of an optimisation, property histograms and scatter plots of a library.
 */
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, BarController, BarElement, CategoryScale, ScatterController, Tooltip);
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.animation = false;

/**
 * A chart on a canvas. `label` describes it for screen readers (the canvas is an image to them); `summary` is
 * shown under it as text. The chart is created once and updated in place when `config` changes.
 */
export function ChartCanvas(props: { config: ChartConfiguration; label: string; summary?: string; height?: number; id?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new Chart(canvas.current, props.config);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [props.config.type]);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data = props.config.data;
    if (props.config.options) c.options = props.config.options;
    c.update('none');
  }, [props.config]);
  return html`<figure class="chart" id=${props.id}>
    <div class="chart-box" style=${`height:${props.height ?? 240}px`}>
      <canvas ref=${canvas} role="img" aria-label=${props.label}></canvas>
    </div>
    ${props.summary ? html`<figcaption>${props.summary}</figcaption>` : null}
  </figure>`;
}

/** Counts of `values` in `bins` equal-width bins between their minimum and maximum. */
export function histogram(values: number[], bins: number): { labels: string[]; counts: number[]; lo: number; hi: number } {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { labels: [], counts: [], lo: 0, hi: 0 };
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const n = lo === hi ? 1 : bins;
  const width = (hi - lo) / n || 1;
  const counts = new Array<number>(n).fill(0);
  for (const v of finite) counts[Math.min(n - 1, Math.floor((v - lo) / width))]++;
  const digits = Math.abs(hi - lo) >= 20 ? 0 : Math.abs(hi - lo) >= 2 ? 1 : 2;
  const labels = counts.map((_, i) => `${(lo + i * width).toFixed(digits)}–${(lo + (i + 1) * width).toFixed(digits)}`);
  return { labels, counts, lo, hi };
}
