import { Delaunay } from 'd3-delaunay';

/** A drawing area in pixels. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One niche's Voronoi cell: its SVG path (null when the projection left it no area) and its centroid's position. */
export interface CellShape {
  niche: number;
  path: string | null;
  x: number;
  y: number;
}

/**
 * Where a normalised point is drawn: its first descriptor left to right, its second bottom to top
 * (a 1-descriptor archive is drawn on the middle line). Descriptors past the second are not drawn:
 * the map of a >2-D archive is the projection of its centroids onto the first two, as labelled.
 */
export function place(point: readonly number[], box: Box): [number, number] {
  const u = point[0] ?? 0.5;
  const v = point.length > 1 ? point[1]! : 0.5;
  return [box.x0 + u * (box.x1 - box.x0), box.y1 - v * (box.y1 - box.y0)];
}

/**
 * The CVT archive's cells as drawn: the Voronoi diagram (d3-delaunay) of its centroids, placed in
 * `box`, clipped to it. For 2 descriptors these are exactly the archive's niches (a point belongs to
 * the niche of its nearest centroid); for more, the cells of the projected centroids.
 */
export function voronoiCells(centroids: readonly (readonly number[])[], box: Box): CellShape[] {
  const points = centroids.map((c) => place(c, box));
  const voronoi = Delaunay.from(points).voronoi([box.x0, box.y0, box.x1, box.y1]);
  return points.map(([x, y], niche) => ({ niche, path: voronoi.renderCell(niche) || null, x, y }));
}
