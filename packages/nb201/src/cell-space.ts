import type { Rng } from '@nasfleet/contracts';
import { CellParseError } from './errors.ts';

/** The 5 NB201 operations, in op-code order (0=none 1=skip 2=conv1x1 3=conv3x3 4=avg_pool). */
export const OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
export type OpName = (typeof OPS)[number];
/** An op as its digit in the op code. */
export type OpCode = 0 | 1 | 2 | 3 | 4;

/** Named op codes, so edits read as words. */
export const OP = { none: 0, skip: 1, conv1x1: 2, conv3x3: 3, avgPool: 4 } as const satisfies Record<string, OpCode>;

/** The 6 edges of the 4-node DAG, in arch-string (and op-code) order. */
export const EDGES: readonly (readonly [from: number, to: number])[] = [
  [0, 1],
  [0, 2],
  [1, 2],
  [0, 3],
  [1, 3],
  [2, 3],
];

/** Number of cells in the space (5^6). */
export const CELL_COUNT = 15_625;

/** A cell: one op code per edge, in `EDGES` order. Always length 6. */
export type Cell = readonly OpCode[];

const OP_LIST = OPS.join(', ');
const EXAMPLE = '|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|';

/** The op's name, e.g. 3 → 'nor_conv_3x3'. */
export function opName(op: OpCode): OpName {
  return OPS[op];
}

/** The op code of a name, or undefined for anything that is not one of `OPS`. */
export function opCodeOf(name: string): OpCode | undefined {
  const i = (OPS as readonly string[]).indexOf(name);
  return i < 0 ? undefined : (i as OpCode);
}

/** Human/LLM-readable edge label, e.g. edge 4 → '1->3'. */
export function edgeLabel(edge: number): string {
  const e = EDGES[edge];
  if (!e) throw new RangeError(`edge must be in 0..5, got ${edge}`);
  return `${e[0]}->${e[1]}`;
}

/** Edge position of (from, to), or undefined when the DAG has no such edge. */
export function edgeIndex(from: number, to: number): number | undefined {
  const i = EDGES.findIndex(([f, t]) => f === from && t === to);
  return i < 0 ? undefined : i;
}

/**
 * Parses an NB201 arch string strictly (surrounding whitespace allowed).
 * Throws `CellParseError` saying which node or edge is wrong and what was expected.
 */
export function parseArchString(text: string): Cell {
  const s = text.trim();
  const known = keyOfArchString.get(s);
  if (known !== undefined) return cellFromKey(known);
  const fail = (why: string): never => {
    throw new CellParseError(`not a valid NB201 arch string (${why}): got '${clip(s)}'; expected the form ${EXAMPLE} with ops from {${OP_LIST}}`);
  };
  if (!s.startsWith('|') || !s.endsWith('|')) fail("it must start and end with '|'");
  const nodes = s.split('+');
  if (nodes.length !== 3) fail(`it must have 3 node groups separated by '+' (for nodes 1, 2, 3), found ${nodes.length}`);
  const cell: OpCode[] = [];
  nodes.forEach((group, g) => {
    const node = g + 1;
    if (group.length < 2 || !group.startsWith('|') || !group.endsWith('|')) fail(`node ${node}'s group must be wrapped in '|'`);
    const tokens = group.slice(1, -1).split('|');
    if (tokens.length !== node) fail(`node ${node} must have ${node} input edge(s) (${inputsOf(node)}), found ${tokens.length}`);
    tokens.forEach((token, k) => {
      const m = /^([a-z0-9_]+)~(\d+)$/.exec(token);
      if (!m) return fail(`token '${clip(token)}' of node ${node} must look like op~${k}`);
      const op = opCodeOf(m[1]!);
      if (op === undefined) return fail(`unknown op '${m[1]}' on edge ${k}->${node}`);
      if (Number(m[2]) !== k) return fail(`input ${k + 1} of node ${node} must come from node ${k} (~${k}), found ~${m[2]}`);
      cell.push(op);
    });
  });
  keyOfArchString.set(s, cellKey(cell));
  return cell;
}

/**
 * Arch strings a search has formatted or parsed, by cell key and back (at most 15,625 of each): a
 * search formats and parses the same few hundred cells over and over, on the hot path of every
 * candidate (the operator, the check, the look-up). A string is only ever mapped to the cell it
 * strictly parses to.
 */
const archStringOfKey: (string | undefined)[] = new Array<string | undefined>(CELL_COUNT);
const keyOfArchString = new Map<string, number>();

/** The arch string of a cell, in the official NB201 format. */
export function formatArchString(cell: Cell): string {
  const key = cellKey(cell);
  const known = archStringOfKey[key];
  if (known !== undefined) return known;
  const text = buildArchString(cell);
  archStringOfKey[key] = text;
  keyOfArchString.set(text, key);
  return text;
}

function buildArchString(cell: Cell): string {
  const group = (node: number) =>
    '|' +
    EDGES.map((e, i) => [e, i] as const)
      .filter(([[, to]]) => to === node)
      .map(([[from], i]) => `${OPS[cell[i]!]}~${from}`)
      .join('|') +
    '|';
  return [1, 2, 3].map(group).join('+');
}

/** Parses a 6-digit op code (digits 0–4, one per edge in `EDGES` order). Throws `CellParseError`. */
export function parseOpCode(text: string): Cell {
  const s = text.trim();
  if (!/^[0-4]{6}$/.test(s)) {
    throw new CellParseError(`not a valid NB201 op code: got '${clip(s)}'; expected 6 digits 0-4 (0=none 1=skip_connect 2=nor_conv_1x1 3=nor_conv_3x3 4=avg_pool_3x3), one per edge 0->1, 0->2, 1->2, 0->3, 1->3, 2->3`);
  }
  return [...s].map((d) => Number(d) as OpCode);
}

/** The 6-digit op code of a cell. */
export function formatOpCode(cell: Cell): string {
  assertCell(cell);
  return cell.join('');
}

/** A dense key in 0..15624: the op code read as a base-5 number (not the official NB201 index). */
export function cellKey(cell: Cell): number {
  assertCell(cell);
  return cell.reduce<number>((key, op) => key * 5 + op, 0);
}

/** The cell of a `cellKey`. */
export function cellFromKey(key: number): Cell {
  if (!Number.isInteger(key) || key < 0 || key >= CELL_COUNT) throw new RangeError(`cell key must be an integer in 0..${CELL_COUNT - 1}, got ${key}`);
  const cell: OpCode[] = new Array<OpCode>(6);
  for (let i = 5; i >= 0; i--) {
    cell[i] = (key % 5) as OpCode;
    key = Math.floor(key / 5);
  }
  return cell;
}

/** Parses either an arch string or a 6-digit op code (whole input, trimmed). Throws `CellParseError`. */
export function parseCell(text: string): Cell {
  const s = text.trim();
  return /^\d+$/.test(s) ? parseOpCode(s) : parseArchString(s);
}

const ARCH_LIKE = /\|(?:[A-Za-z0-9_]+~\d+\|)+(?:\s*\+\s*\|(?:[A-Za-z0-9_]+~\d+\|)+)*/g;
const FENCE = /```[^\n]*\n?([\s\S]*?)```/g;

/**
 * Finds the cell in an LLM-style answer: prose, markdown fences or JSON around an arch string or
 * op code. Fenced blocks win over the surrounding prose, and the last cell wins, because answers
 * tend to restate the parent before giving the result. Throws `CellParseError` with an actionable
 * message when none is found or the only candidates are malformed.
 */
export function extractCell(text: string): Cell {
  // An answer that is just an arch string seen before (the rule operator's, a parent's artifact): the scan below would find only it.
  const known = keyOfArchString.get(text.trim());
  if (known !== undefined) return cellFromKey(known);
  const fenced = [...text.matchAll(FENCE)].map((m) => m[1] ?? '');
  let firstError: CellParseError | undefined;
  for (const scope of fenced.length > 0 ? [fenced.join('\n'), text] : [text]) {
    const matches = [...scope.matchAll(ARCH_LIKE)].map((m) => m[0].replace(/\s+/g, ''));
    for (const candidate of matches.reverse()) {
      try {
        return parseArchString(candidate);
      } catch (err) {
        if (!(err instanceof CellParseError)) throw err;
        firstError ??= err;
      }
    }
    if (matches.length === 0) {
      const codes = [...scope.matchAll(/(?<![\d.])[0-4]{6}(?![\d.])/g)];
      const last = codes.at(-1);
      if (last) return parseOpCode(last[0]);
    }
  }
  if (firstError) throw firstError;
  throw new CellParseError(`no NB201 cell found in the answer ('${clip(text.trim())}'); answer with one arch string of the form ${EXAMPLE}, ops from {${OP_LIST}}`);
}

/** A uniformly random cell. */
export function sampleCell(rng: Rng): Cell {
  return Array.from({ length: 6 }, () => rng.int(0, 4) as OpCode);
}

/** A copy of the cell with one edge set to `op`. */
export function withEdge(cell: Cell, edge: number, op: OpCode): Cell {
  assertCell(cell);
  if (!Number.isInteger(edge) || edge < 0 || edge > 5) throw new RangeError(`edge must be in 0..5, got ${edge}`);
  const next = [...cell];
  next[edge] = op;
  return next;
}

/** All 24 cells that differ from `cell` in exactly one edge. */
export function neighbours(cell: Cell): Cell[] {
  assertCell(cell);
  const out: Cell[] = [];
  cell.forEach((current, edge) => {
    for (let op = 0 as OpCode; op <= 4; op = (op + 1) as OpCode) if (op !== current) out.push(withEdge(cell, edge, op));
  });
  return out;
}

/** Number of edges on which two cells differ. */
export function hammingDistance(a: Cell, b: Cell): number {
  assertCell(a);
  assertCell(b);
  return a.reduce<number>((n, op, i) => n + (op === b[i] ? 0 : 1), 0);
}

/** True when two cells are the same. */
export function sameCell(a: Cell, b: Cell): boolean {
  return hammingDistance(a, b) === 0;
}

/** Whether the output node (3) is reachable from the input (0) through non-`none` ops. */
export function isConnected(cell: Cell): boolean {
  assertCell(cell);
  const reached = [true, false, false, false];
  // EDGES are in topological order of their target, so one pass suffices.
  EDGES.forEach(([from, to], i) => {
    if (cell[i] !== OP.none && reached[from]) reached[to] = true;
  });
  return reached[3] === true;
}

/** Throws a `CellParseError` unless `cell` is 6 op codes. */
export function assertCell(cell: readonly number[]): asserts cell is Cell {
  if (cell.length !== 6 || !cell.every((op) => Number.isInteger(op) && op >= 0 && op <= 4)) {
    throw new CellParseError(`a cell is 6 op codes in 0..4, got [${cell.join(', ')}]`);
  }
}

function inputsOf(node: number): string {
  return Array.from({ length: node }, (_, k) => `~${k}`).join(', ');
}

function clip(s: string): string {
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}
