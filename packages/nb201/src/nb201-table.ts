import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CELL_COUNT, cellFromKey, cellKey, formatArchString, parseArchString, parseCell } from './cell-space.ts';
import type { Cell } from './cell-space.ts';
import { CellParseError, Nb201TableError } from './errors.ts';

/** The three NB201 datasets. */
export const Nb201Dataset = z.enum(['cifar10', 'cifar100', 'imagenet16-120']);
export type Nb201Dataset = z.infer<typeof Nb201Dataset>;

/**
 * Per-dataset columns of the table (see data/README.md for their exact meaning): validation and
 * test accuracy (percent) after 200 and 12 epochs, the NATS-Bench copy of test200, the source's
 * test rank (1 = best), parameters (millions) and FLOPs (millions).
 */
export const Nb201Metric = z.enum(['val200', 'test200', 'val12', 'test12', 'test200Nats', 'rank200', 'params', 'flops']);
export type Nb201Metric = z.infer<typeof Nb201Metric>;

const PREFIX: Record<Nb201Dataset, string> = { cifar10: 'c10', cifar100: 'c100', 'imagenet16-120': 'in16' };

/** The CSV column that holds a metric for a dataset. */
export function columnName(dataset: Nb201Dataset, metric: Nb201Metric): string {
  const p = PREFIX[dataset];
  switch (metric) {
    case 'val200':
      return `${p}_val_200`;
    case 'test200':
      return `${p}_test_200`;
    case 'val12':
      return `${p}_val_12`;
    case 'test12':
      return `${p}_test_12`;
    case 'test200Nats':
      return `${p}_test_200_nats`;
    case 'rank200':
      return `${p}_rank_200`;
    case 'params':
      return `params_M_${p}`;
    case 'flops':
      return `flops_M_${p}`;
  }
}

/** The exact header the loader accepts. */
export const NB201_COLUMNS = [
  'index', 'arch_str', 'op_code',
  'c10_val_200', 'c10_test_200', 'c100_val_200', 'c100_test_200', 'in16_val_200', 'in16_test_200',
  'c10_rank_200', 'c100_rank_200', 'in16_rank_200',
  'c10_test_200_nats', 'c100_test_200_nats', 'in16_test_200_nats',
  'c10_val_12', 'c10_test_12', 'c100_val_12', 'c100_test_12', 'in16_val_12', 'in16_test_12',
  'params_M_c10', 'flops_M_c10', 'params_M_c100', 'flops_M_c100', 'params_M_in16', 'flops_M_in16',
] as const;

/** Path of the table shipped with this package. */
export const DEFAULT_NB201_TABLE_PATH = fileURLToPath(new URL('../data/nb201_table.csv', import.meta.url));

/** Cells at the top of a ranking: `indices` has every cell whose value is at least `threshold`. */
export interface TopSet {
  indices: ReadonlySet<number>;
  /** The value of the k-th best cell; ties with it are included, so `indices.size` can exceed k. */
  threshold: number;
  /** ceil(fraction × size). */
  k: number;
}

/** Ranking direction: 'desc' = larger is better (accuracies), 'asc' = smaller is better (params, flops, rank). */
export type RankOrder = 'desc' | 'asc';

/**
 * The NAS-Bench-201 look-up table, columns held as typed arrays, rows in official NB201 index
 * order. Immutable once built; ranking queries are computed on first use and cached.
 */
export class Nb201Table {
  private readonly rankCache = new Map<string, Int32Array>();

  /** Built by `parseNb201Csv` / `loadNb201Table`, which check the data. */
  constructor(
    /** Where the data came from (file path), for messages. */
    readonly source: string,
    private readonly columns: ReadonlyMap<string, Float64Array>,
    /** Base-5 `cellKey` of each row. */
    private readonly keys: Int32Array,
    /** Row index of each `cellKey` (-1 when absent). */
    private readonly indexByKey: Int32Array,
  ) {}

  /** Number of rows (15,625 for a complete table). */
  get size(): number {
    return this.keys.length;
  }

  /** Row index of a cell, an arch string or a 6-digit op code. Throws `CellParseError` on malformed text, RangeError when absent. */
  indexOf(cellOrText: Cell | string): number {
    const cell = typeof cellOrText === 'string' ? parseCell(cellOrText) : cellOrText;
    const index = this.indexByKey[cellKey(cell)] ?? -1;
    if (index < 0) throw new RangeError(`cell ${formatArchString(cell)} is not in table ${this.source}`);
    return index;
  }

  /** The cell of row `index`. */
  cellAt(index: number): Cell {
    return cellFromKey(this.keys[this.checkIndex(index)]!);
  }

  /** The arch string of row `index`. */
  archAt(index: number): string {
    return formatArchString(this.cellAt(index));
  }

  /** One metric of one row. */
  value(index: number, dataset: Nb201Dataset, metric: Nb201Metric): number {
    return this.column(dataset, metric)[this.checkIndex(index)]!;
  }

  /** A whole column (shared, do not write to it). */
  column(dataset: Nb201Dataset, metric: Nb201Metric): Float64Array {
    const name = columnName(dataset, metric);
    const col = this.columns.get(name);
    if (!col) throw new Nb201TableError(`${this.source}: no column ${name}`);
    return col;
  }

  /** Every column of one row, keyed by CSV column name (index, arch_str and op_code included). */
  row(index: number): Record<string, number | string> {
    const cell = this.cellAt(index);
    const out: Record<string, number | string> = { index, arch_str: formatArchString(cell), op_code: cell.join('') };
    for (const [name, col] of this.columns) out[name] = col[index]!;
    return out;
  }

  /**
   * Competition ranks (1 = best; tied values share the best rank, "1224") of every row by a metric.
   * Cached per (dataset, metric, order).
   */
  ranks(dataset: Nb201Dataset, metric: Nb201Metric, order: RankOrder = 'desc'): Int32Array {
    const cacheKey = `${dataset}/${metric}/${order}`;
    const hit = this.rankCache.get(cacheKey);
    if (hit) return hit;
    const col = this.column(dataset, metric);
    const sign = order === 'desc' ? -1 : 1;
    const sorted = Array.from({ length: this.size }, (_, i) => i).sort((a, b) => sign * (col[a]! - col[b]!) || a - b);
    const ranks = new Int32Array(this.size);
    sorted.forEach((row, pos) => {
      const prev = sorted[pos - 1];
      ranks[row] = prev !== undefined && col[prev] === col[row] ? ranks[prev]! : pos + 1;
    });
    this.rankCache.set(cacheKey, ranks);
    return ranks;
  }

  /** Rank of one row (1 = best). */
  rankOf(index: number, dataset: Nb201Dataset, metric: Nb201Metric, order: RankOrder = 'desc'): number {
    return this.ranks(dataset, metric, order)[this.checkIndex(index)]!;
  }

  /**
   * The cells in the top `fraction` (0 < fraction ≤ 1) by a metric: rank ≤ ceil(fraction × size),
   * so ties at the boundary are all in. E.g. `topFraction('cifar10', 'val200', 0.001)` is the set a
   * benchmark checks for "reached a top-0.1% cell by validation".
   */
  topFraction(dataset: Nb201Dataset, metric: Nb201Metric, fraction: number, order: RankOrder = 'desc'): TopSet {
    if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`fraction must be in (0, 1], got ${fraction}`);
    const k = Math.ceil(fraction * this.size);
    const ranks = this.ranks(dataset, metric, order);
    const col = this.column(dataset, metric);
    const indices = new Set<number>();
    let threshold = order === 'desc' ? Infinity : -Infinity;
    ranks.forEach((rank, i) => {
      if (rank > k) return;
      indices.add(i);
      threshold = order === 'desc' ? Math.min(threshold, col[i]!) : Math.max(threshold, col[i]!);
    });
    return { indices, threshold, k };
  }

  /** The best row by a metric (lowest index among ties) and its value. */
  best(dataset: Nb201Dataset, metric: Nb201Metric, order: RankOrder = 'desc'): { index: number; value: number } {
    const col = this.column(dataset, metric);
    let index = 0;
    for (let i = 1; i < col.length; i++) if (order === 'desc' ? col[i]! > col[index]! : col[i]! < col[index]!) index = i;
    return { index, value: col[index]! };
  }

  private checkIndex(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new RangeError(`row index must be an integer in 0..${this.size - 1}, got ${index}`);
    return index;
  }
}

/** Options of `parseNb201Csv`. */
export interface ParseNb201Options {
  /** Rows the file must have (default 15,625: the whole space). */
  expectedRows?: number;
}

/**
 * Parses the table's CSV text and checks it: exact header, row count, index order, well-formed
 * and unique arch strings, op codes matching them, finite numbers. Throws `Nb201TableError`
 * naming `source`, the line and what is wrong.
 */
export function parseNb201Csv(text: string, source: string, options: ParseNb201Options = {}): Nb201Table {
  const expectedRows = options.expectedRows ?? CELL_COUNT;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const header = (lines[0] ?? '').replace(/\r$/, '').split(',');
  const fail = (line: number, why: string): never => {
    throw new Nb201TableError(`${source}:${line}: ${why}`);
  };
  if (header.length !== NB201_COLUMNS.length || header.some((h, i) => h !== NB201_COLUMNS[i])) {
    const bad = NB201_COLUMNS.findIndex((c, i) => header[i] !== c);
    fail(1, `unexpected header: column ${bad + 1} should be '${NB201_COLUMNS[bad] ?? '(none)'}', found '${header[bad] ?? '(missing)'}' (expected ${NB201_COLUMNS.length} columns: ${NB201_COLUMNS.join(',')})`);
  }
  const rows = lines.length - 1;
  const numeric = NB201_COLUMNS.slice(3);
  const columns = new Map<string, Float64Array>(numeric.map((name) => [name, new Float64Array(rows)]));
  const colArrays = numeric.map((name) => columns.get(name)!);
  const keys = new Int32Array(rows);
  const indexByKey = new Int32Array(CELL_COUNT).fill(-1);
  for (let r = 0; r < rows; r++) {
    const lineNo = r + 2;
    const fields = lines[r + 1]!.replace(/\r$/, '').split(',');
    if (fields.length !== NB201_COLUMNS.length) fail(lineNo, `expected ${NB201_COLUMNS.length} fields, found ${fields.length}`);
    if (fields[0] !== String(r)) fail(lineNo, `index should be ${r} (rows are in NB201 index order), found '${fields[0]}'`);
    let cell: Cell = [];
    try {
      cell = parseArchString(fields[1]!);
    } catch (err) {
      if (err instanceof CellParseError) fail(lineNo, `arch_str: ${err.message}`);
      throw err;
    }
    if (fields[2] !== cell.join('')) fail(lineNo, `op_code '${fields[2]}' does not match arch_str (expected ${cell.join('')})`);
    const key = cellKey(cell);
    if (indexByKey[key] !== -1) fail(lineNo, `duplicate arch_str ${fields[1]} (also at line ${indexByKey[key]! + 2})`);
    indexByKey[key] = r;
    keys[r] = key;
    for (let c = 0; c < numeric.length; c++) {
      const raw = fields[c + 3]!;
      const v = raw === '' ? NaN : Number(raw);
      if (!Number.isFinite(v)) fail(lineNo, `column ${numeric[c]} is not a finite number: '${raw}'`);
      colArrays[c]![r] = v;
    }
  }
  if (rows !== expectedRows) fail(lines.length, `expected ${expectedRows} data rows, found ${rows}`);
  return new Nb201Table(source, columns, keys, indexByKey);
}

/** Loads and checks the table (default: the copy shipped in this package's data/). Throws `Nb201TableError`. */
export function loadNb201Table(path: string = DEFAULT_NB201_TABLE_PATH, options: ParseNb201Options = {}): Nb201Table {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Nb201TableError(`${path}: cannot read the NB201 table: ${(err as Error).message}`);
  }
  return parseNb201Csv(text, path, options);
}
