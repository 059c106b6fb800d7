import { describe, expect, it } from 'vitest';
import { cvtCentroids, nearestCentroid } from '@nasfleet/search';
import { place, voronoiCells } from './voronoi-cells.ts';

const BOX = { x0: 10, y0: 20, x1: 410, y1: 320 };

/** Twice the signed area of an SVG path of straight segments (M x,y L x,y … Z), from its points. */
function area(path: string): number {
  const pts = [...path.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
  let a = 0;
  pts.forEach(([x, y], i) => {
    const [nx, ny] = pts[(i + 1) % pts.length]!;
    a += x * ny - nx * y;
  });
  return Math.abs(a) / 2;
}

describe('voronoiCells', () => {
  it('draws one closed cell per niche of a real CVT archive, tiling the box', () => {
    const centroids = cvtCentroids({ niches: 100, dims: 2, seed: 3 });
    const cells = voronoiCells(centroids, BOX);
    expect(cells).toHaveLength(100);
    expect(cells.every((c) => c.path !== null && c.path.startsWith('M') && c.path.endsWith('Z'))).toBe(true);
    const total = cells.reduce((sum, c) => sum + area(c.path!), 0);
    expect(total).toBeCloseTo((BOX.x1 - BOX.x0) * (BOX.y1 - BOX.y0), 0);
  });

  it('places a point in the drawn cell of the niche the archive gives it (nearest centroid)', () => {
    const centroids = cvtCentroids({ niches: 30, dims: 2, seed: 1 });
    const cells = voronoiCells(centroids, BOX);
    for (const point of [[0.1, 0.9], [0.5, 0.5], [0.93, 0.07], [0.33, 0.61]]) {
      const niche = nearestCentroid(centroids, point);
      const [x, y] = place(point, BOX);
      // The nearest drawn centroid (in pixels, the box scales both axes) is the same niche's.
      const sx = BOX.x1 - BOX.x0;
      const sy = BOX.y1 - BOX.y0;
      const nearest = cells.reduce((best, c) => (((c.x - x) / sx) ** 2 + ((c.y - y) / sy) ** 2 < ((best.x - x) / sx) ** 2 + ((best.y - y) / sy) ** 2 ? c : best));
      expect(nearest.niche).toBe(niche);
    }
  });

  it('puts the first descriptor left to right, the second bottom to top, and projects more dimensions onto the first two', () => {
    expect(place([0, 0], BOX)).toEqual([10, 320]);
    expect(place([1, 1], BOX)).toEqual([410, 20]);
    expect(place([0.5, 0.25, 0.9], BOX)).toEqual([210, 245]);
    expect(voronoiCells(cvtCentroids({ niches: 20, dims: 3, seed: 2 }), BOX)).toHaveLength(20);
  });
});
