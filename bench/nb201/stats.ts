/** Small statistics over seeds. A run that never reached a cell counts as Infinity (more than the budget). */

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
export const std = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};

/** The q-quantile (0 ≤ q ≤ 1) by linear interpolation between order statistics; Infinity-safe. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi || s[lo] === s[hi]) return s[lo]!;
  if (!Number.isFinite(s[hi]!)) return Infinity;
  return s[lo]! + (pos - lo) * (s[hi]! - s[lo]!);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** "148 [52–460]": the median and the central 95% range; past the budget shows as ">budget". */
export function medianRange(xs: readonly number[], budget: number): string {
  const f = (x: number) => (Number.isFinite(x) ? String(Math.round(x)) : `>${budget}`);
  return `${f(median(xs))} [${f(quantile(xs, 0.025))}–${f(quantile(xs, 0.975))}]`;
}

/** "94.35±0.11" (mean ± standard deviation), or "n/a" when empty. */
export function meanStd(xs: readonly number[]): string {
  return xs.length ? `${mean(xs).toFixed(2)}±${std(xs).toFixed(2)}` : 'n/a';
}

/**
 * The difference of two samples' means, a − b, and the half-width of its 95% interval (normal
 * approximation with each sample's own variance, Welch): whether a gap between two strategies over
 * independent seeds is larger than the seeds' noise. NaN half-width with fewer than two values a side.
 */
export function meanDifference(a: readonly number[], b: readonly number[]): { diff: number; half: number } {
  const variance = (xs: readonly number[]) => (xs.length < 2 ? NaN : (std(xs) ** 2 * xs.length) / (xs.length - 1));
  return { diff: mean(a) - mean(b), half: 1.96 * Math.sqrt(variance(a) / a.length + variance(b) / b.length) };
}

/** "Δ +0.012 ± 0.041": a `meanDifference`, signed, to three places. */
export function formatDifference({ diff, half }: { diff: number; half: number }): string {
  return `Δ ${diff >= 0 ? '+' : '−'}${Math.abs(diff).toFixed(3)} ± ${half.toFixed(3)}`;
}
