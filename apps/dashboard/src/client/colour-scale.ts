/** Viridis (matplotlib's default map, as LLMatic's Figure 3 uses), 9 stops from low to high. */
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

/** The colour of t in [0, 1] (clipped) on the viridis map, as `rgb(r, g, b)`. */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i]!, VIRIDIS[i + 1]!];
  const mix = (k: number) => Math.round(a[k]! + (b[k]! - a[k]!) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

/** A fitness → colour scale over the values' range (a single value sits mid-scale). */
export function fitnessScale(values: readonly number[]): { min: number; max: number; colour: (fitness: number) => string } {
  const finite = values.filter(Number.isFinite);
  const min = finite.length ? Math.min(...finite) : 0;
  const max = finite.length ? Math.max(...finite) : 1;
  return { min, max, colour: (f) => viridis(max > min ? (f - min) / (max - min) : 0.5) };
}

/** A number short enough for an axis tick or a cell label: 3 significant digits, exponent form for large or tiny values. */
export function shortNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return n.toExponential(1).replace('e+', 'e');
  return String(Number(n.toPrecision(3)));
}
