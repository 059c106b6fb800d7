import type { ArchiveAnswer, ArchiveCell, ArchiveGeometry } from './api-types.ts';
import { fitnessScale, shortNumber, viridis } from './colour-scale.ts';
import { fmt, h, replace, s } from './dom.ts';
import { voronoiCells } from './voronoi-cells.ts';
import type { Box } from './voronoi-cells.ts';

const W = 440;
const H = 380;
const BOX: Box = { x0: 62, y0: 12, x1: W - 14, y1: H - 64 };
const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** What a cell's tooltip says. */
function cellTitle(cell: ArchiveCell, names: readonly string[]): string {
  const where = cell.descriptors.map((d, i) => `${names[i] ?? `d${i}`} ${shortNumber(d)}`).join(', ');
  const prompt = cell.prompt ? `\nprompt ${cell.prompt.choice?.id ?? '?'} (${cell.prompt.choice?.intent ?? ''}), temperature ${fmt(cell.prompt.temperature)}, curiosity ${fmt(cell.prompt.curiosity, 1)}` : '';
  return `niche ${cell.niche}: ${cell.id}, fitness ${fmt(cell.fitness)}\n${where}${prompt}`;
}

/**
 * A CVT archive drawn as its Voronoi cells (LLMatic's Figure 3): every niche a path, an occupied one
 * filled with its occupant's fitness on the viridis scale, an empty one grey; axes in the
 * descriptors' raw units. Clicking an occupied cell picks its candidate.
 */
export class ArchiveMap {
  private paths = new Map<number, SVGPathElement>();
  private legend: SVGGElement | null = null;
  private geometryKey = '';

  constructor(private readonly figure: HTMLElement, private readonly name: string, private readonly onPick: (candidateId: string) => void) {}

  update(geometry: ArchiveGeometry, answer: ArchiveAnswer | undefined): void {
    const key = JSON.stringify([geometry.niches, geometry.bounds, geometry.centroids.length]);
    if (key !== this.geometryKey) this.draw(geometry, key);
    const cells = answer?.cells ?? [];
    const scale = fitnessScale(cells.map((c) => c.fitness));
    const byNiche = new Map(cells.map((c) => [c.niche, c]));
    for (const [niche, path] of this.paths) {
      const cell = byNiche.get(niche);
      path.classList.toggle('filled', cell !== undefined);
      path.setAttribute('fill', cell ? scale.colour(cell.fitness) : '#eef0f3');
      if (cell) path.dataset.id = cell.id;
      else delete path.dataset.id;
      replace(path, s('title', {}, cell ? cellTitle(cell, geometry.descriptorNames) : `niche ${niche}: empty`));
    }
    this.figure.dataset.niches = String(geometry.niches);
    this.figure.dataset.filled = String(cells.length);
    const caption = this.figure.querySelector('figcaption');
    if (caption) caption.textContent = `${this.name} archive: ${cells.length} of ${geometry.niches} niches filled (${fmt((100 * cells.length) / geometry.niches, 1)}%)`;
    if (this.legend) replace(this.legend, ...legendParts(this.name, scale.min, scale.max, cells.length > 0));
  }

  private draw(geometry: ArchiveGeometry, key: string): void {
    this.geometryKey = key;
    this.paths.clear();
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${this.name} archive`, class: 'archive-map' });
    const cells = s('g', { class: 'cells' });
    for (const shape of voronoiCells(geometry.centroids, BOX)) {
      if (shape.path === null) continue;
      const path = s('path', { class: 'cell', d: shape.path, 'data-niche': shape.niche });
      path.addEventListener('click', () => {
        if (path.dataset.id) this.onPick(path.dataset.id);
      });
      this.paths.set(shape.niche, path);
      cells.append(path);
    }
    svg.append(cells, ...axes(geometry));
    this.legend = s('g', { class: 'legend', transform: `translate(${BOX.x0}, ${H - 22})` });
    svg.append(this.legend);
    const projected = geometry.descriptorNames.length > 2
      ? h('p', { class: 'muted small' }, `Projection of the ${geometry.descriptorNames.length}-D centroids onto the first two descriptors (the others are not drawn).`)
      : null;
    replace(this.figure, svg, projected, h('figcaption', {}, `${this.name} archive`));
  }
}

/** Both axes with ticks in raw units and the descriptors' names. */
function axes(g: ArchiveGeometry): SVGElement[] {
  const out: SVGElement[] = [s('rect', { x: BOX.x0, y: BOX.y0, width: BOX.x1 - BOX.x0, height: BOX.y1 - BOX.y0, class: 'frame' })];
  const unit: [number, number] = [0, 1];
  const [bx, by] = [g.bounds[0] ?? unit, g.bounds[1] ?? unit];
  for (const t of TICKS) {
    const x = BOX.x0 + t * (BOX.x1 - BOX.x0);
    const y = BOX.y1 - t * (BOX.y1 - BOX.y0);
    out.push(s('text', { x, y: BOX.y1 + 14, class: 'tick', 'text-anchor': 'middle' }, shortNumber(bx[0] + t * (bx[1] - bx[0]))));
    if (g.bounds.length > 1) out.push(s('text', { x: BOX.x0 - 5, y: y + 4, class: 'tick', 'text-anchor': 'end' }, shortNumber(by[0] + t * (by[1] - by[0]))));
  }
  out.push(s('text', { x: (BOX.x0 + BOX.x1) / 2, y: BOX.y1 + 30, class: 'axis-title', 'text-anchor': 'middle' }, g.descriptorNames[0] ?? 'd0'));
  if (g.bounds.length > 1) {
    const cy = (BOX.y0 + BOX.y1) / 2;
    out.push(s('text', { x: 14, y: cy, class: 'axis-title', 'text-anchor': 'middle', transform: `rotate(-90 14 ${cy})` }, g.descriptorNames[1] ?? 'd1'));
  }
  return out;
}

/** The colour bar: fitness from the lowest occupant's to the highest's. */
function legendParts(name: string, min: number, max: number, any: boolean): SVGElement[] {
  const id = `ramp-${name}`;
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => s('stop', { offset: `${t * 100}%`, 'stop-color': viridis(t) }));
  const width = 160;
  return [
    s('defs', {}, s('linearGradient', { id }, ...stops)),
    s('text', { x: 0, y: 10, class: 'tick', 'text-anchor': 'start' }, 'fitness'),
    s('text', { x: 52, y: 10, class: 'tick', 'text-anchor': 'end' }, any ? fmt(min, 1) : ''),
    s('rect', { x: 56, y: 1, width, height: 11, fill: `url(#${id})` }),
    s('text', { x: 60 + width, y: 10, class: 'tick', 'text-anchor': 'start' }, any ? fmt(max, 1) : ''),
  ];
}
