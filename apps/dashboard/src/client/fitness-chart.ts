import uPlot from 'uplot';
import type { GenerationPoint } from './generation-stats.ts';

const SERIES = [
  { label: 'best of generation', stroke: '#21908d', width: 2 },
  { label: 'mean of generation', stroke: '#b5a11e', width: 1.5, dash: [6, 4] },
  { label: 'best so far', stroke: '#440154', width: 1 },
];

/**
 * Best and mean fitness per generation (LLMatic's Figure 2), and the best so far, drawn by uPlot on a
 * canvas. The figure's `data-generations` says how many generations are plotted (what a test counts).
 */
export class FitnessChart {
  private plot: uPlot | null = null;
  private width = 0;
  // Resized in the next frame, and only when the width changed: resizing inside the observer's own
  // callback would change the figure it observes (a "ResizeObserver loop").
  private readonly resize = new ResizeObserver(() => requestAnimationFrame(() => this.fit()));

  constructor(private readonly figure: HTMLElement) {
    this.resize.observe(figure);
  }

  update(points: readonly GenerationPoint[], generationSize: number): void {
    const data: uPlot.AlignedData = [
      points.map((p) => p.generation),
      points.map((p) => p.best),
      points.map((p) => p.mean),
      points.map((p) => p.bestSoFar),
    ];
    if (!this.plot) {
      const holder = document.createElement('div');
      this.figure.replaceChildren(holder, Object.assign(document.createElement('figcaption'), { textContent: '' }));
      this.plot = new uPlot({
        width: this.available(), height: 260,
        scales: { x: { time: false } },
        // Generations are whole numbers: ticks at whole steps only.
        axes: [{ label: `generation (${generationSize} candidates each)`, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] }, { label: 'fitness' }],
        series: [{ label: 'generation' }, ...SERIES.map((s) => ({ ...s, spanGaps: false, points: { show: true, size: 5 } }))],
        legend: { live: false },
      }, data, holder);
    } else {
      this.plot.setData(data);
    }
    this.figure.dataset.generations = String(points.length);
    const caption = this.figure.querySelector('figcaption');
    const last = points.at(-1);
    if (caption) caption.textContent = last ? `fitness per generation: ${points.length} generation(s), best so far ${last.bestSoFar?.toFixed(2) ?? '–'}` : 'fitness per generation: nothing told yet';
  }

  private available(): number {
    return Math.max(280, this.figure.clientWidth - 18);
  }

  private fit(): void {
    const width = this.available();
    if (!this.plot || width === this.width) return;
    this.width = width;
    this.plot.setSize({ width, height: 260 });
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}
