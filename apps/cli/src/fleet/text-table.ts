/**
 * Rows as aligned text columns (two spaces apart, trailing spaces cut); `right` names the columns
 * aligned right (numbers). A header row, when given, comes first.
 */
export function formatTable(rows: string[][], options: { header?: string[]; right?: number[] } = {}): string {
  const all = options.header ? [options.header, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const right = new Set(options.right ?? []);
  return all
    .map((row) => row.map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}
