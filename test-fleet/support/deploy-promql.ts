/**
 * What a PromQL expression reads: its series selectors (metric name and label matchers) and the
 * labels its grouping clauses name, each with the metrics in the clause's scope. A scanner, not a
 * full parser: enough to check that a dashboard's queries name metrics and labels that exist.
 * Real Prometheus checks the syntax (the tests evaluate every query through it).
 */

/** One label matcher of a selector. */
export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A series selector: `name{label="value", …}` (a selector without a name is refused). */
export interface Selector {
  metric: string;
  matchers: Matcher[];
}

/** Labels of a `by`, `without`, `on`, `ignoring`, `group_left` or `group_right` clause, and the metrics they apply to. */
export interface Grouping {
  clause: string;
  labels: string[];
  /** For by/without: the aggregation's argument's metrics; for the others: the whole expression's. */
  metrics: string[];
}

export interface ExpressionUse {
  selectors: Selector[];
  groupings: Grouping[];
}

/** An expression the scanner cannot read; the message names the expression and the place. */
export class PromqlScanError extends Error {
  constructor(expr: string, at: number, what: string) {
    super(`PromQL ${JSON.stringify(expr)} at ${at}: ${what}`);
    this.name = 'PromqlScanError';
  }
}

interface Token {
  kind: 'ident' | 'number' | 'string' | 'punct' | 'op';
  text: string;
  at: number;
}

const AGGREGATIONS = new Set(['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values']);
const LABEL_CLAUSES = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', ...LABEL_CLAUSES]);
const OPERATORS = ['=~', '!~', '!=', '==', '>=', '<=', '=', '>', '<', '+', '-', '*', '/', '%', '^'];

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      let value = '';
      while (j < expr.length && expr[j] !== c) {
        if (expr[j] === '\\' && c !== '`') j++;
        value += expr[j] ?? '';
        j++;
      }
      if (j >= expr.length) throw new PromqlScanError(expr, i, 'unterminated string');
      tokens.push({ kind: 'string', text: value, at: i });
      i = j + 1;
    } else if (/[0-9.]/.test(c)) {
      const m = /^[0-9.][0-9a-zA-Z._]*/.exec(expr.slice(i))!;
      tokens.push({ kind: 'number', text: m[0], at: i });
      i += m[0].length;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(i))!;
      tokens.push({ kind: 'ident', text: m[0], at: i });
      i += m[0].length;
    } else if ('(){}[],'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
    } else {
      const op = OPERATORS.find((o) => expr.startsWith(o, i));
      if (!op) throw new PromqlScanError(expr, i, `unexpected ${JSON.stringify(c)}${c === '$' ? ' (a dashboard variable left unsubstituted)' : ''}`);
      tokens.push({ kind: 'op', text: op, at: i });
      i += op.length;
    }
  }
  return tokens;
}

/** Index of the `)`, `}` or `]` that closes the bracket at `open`. */
function closing(tokens: Token[], open: number, expr: string): number {
  const pairs: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
  const want = pairs[tokens[open]!.text]!;
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'punct') continue;
    if (t.text === tokens[open]!.text) depth++;
    else if (t.text === want && --depth === 0) return i;
  }
  throw new PromqlScanError(expr, tokens[open]!.at, `unclosed ${tokens[open]!.text}`);
}

/** The label names of a `(a, b)` list at `open`. */
function labelList(tokens: Token[], open: number, end: number, expr: string): string[] {
  const labels: string[] = [];
  for (let i = open + 1; i < end; i++) {
    const t = tokens[i]!;
    if (t.kind === 'ident') labels.push(t.text);
    else if (!(t.kind === 'punct' && t.text === ',')) throw new PromqlScanError(expr, t.at, `expected a label name, got ${JSON.stringify(t.text)}`);
  }
  return labels;
}

function matchers(tokens: Token[], open: number, end: number, expr: string): Matcher[] {
  const out: Matcher[] = [];
  let i = open + 1;
  while (i < end) {
    const [label, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (label?.kind !== 'ident' || op?.kind !== 'op' || !['=', '!=', '=~', '!~'].includes(op.text) || value?.kind !== 'string') {
      throw new PromqlScanError(expr, (label ?? tokens[end]!).at, 'expected label="value" (or !=, =~, !~)');
    }
    out.push({ label: label.text, op: op.text as Matcher['op'], value: value.text });
    i += 3;
    if (tokens[i]?.text === ',') i++;
  }
  return out;
}

/** The selectors and grouping labels of `expr`; throws PromqlScanError on what it cannot read. */
export function scanPromql(expr: string): ExpressionUse {
  const tokens = tokenize(expr);
  const selectors: Selector[] = [];
  /** Each selector's token index, to find the selectors in a clause's scope. */
  const positions: number[] = [];
  const pending: { clause: string; labels: string[]; from: number; to: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (t.kind === 'punct' && t.text === '{') throw new PromqlScanError(expr, t.at, 'a selector without a metric name');
    if (t.kind === 'punct' && t.text === '[') {
      i = closing(tokens, i, expr);
      continue;
    }
    if (t.kind !== 'ident') continue;
    if ((t.text === 'group_left' || t.text === 'group_right') && next?.text !== '(') continue; // its label list is optional
    if (LABEL_CLAUSES.has(t.text)) {
      if (next?.text !== '(') throw new PromqlScanError(expr, t.at, `${t.text} without a label list`);
      const end = closing(tokens, i + 1, expr);
      const labels = labelList(tokens, i + 1, end, expr);
      let scope = { from: 0, to: tokens.length };
      if (t.text === 'by' || t.text === 'without') {
        const before = tokens[i - 1];
        if (before?.kind === 'ident' && AGGREGATIONS.has(before.text) && tokens[end + 1]?.text === '(') scope = { from: end + 1, to: closing(tokens, end + 1, expr) };
        else if (before?.text === ')') {
          let open = i - 1;
          for (let depth = 0; open >= 0; open--) {
            if (tokens[open]!.text === ')') depth++;
            else if (tokens[open]!.text === '(' && --depth === 0) break;
          }
          scope = { from: open, to: i - 1 };
        } else throw new PromqlScanError(expr, t.at, `${t.text} neither after an aggregation nor after its argument`);
      }
      pending.push({ clause: t.text, labels, ...scope });
      i = end;
      continue;
    }
    if (KEYWORDS.has(t.text)) continue;
    if (next?.text === '(') continue; // a function or an aggregation
    if (AGGREGATIONS.has(t.text) && (next?.text === 'by' || next?.text === 'without')) continue;
    const selector: Selector = { metric: t.text, matchers: [] };
    positions.push(i);
    if (next?.text === '{') {
      const end = closing(tokens, i + 1, expr);
      selector.matchers = matchers(tokens, i + 1, end, expr);
      i = end;
    }
    selectors.push(selector);
  }
  const metricsAt = (from: number, to: number) => [...new Set(selectors.filter((_, k) => positions[k]! >= from && positions[k]! <= to).map((s) => s.metric))];
  const groupings = pending.map((p) => ({ clause: p.clause, labels: p.labels, metrics: metricsAt(p.from, p.to) }));
  return { selectors, groupings };
}

/** Grafana's `label_values(metric, label)` variable query as the metric's selector and the label it lists. */
export function scanLabelValues(query: string): { selector: Selector; label: string } {
  const m = /^\s*label_values\(\s*(.+)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/.exec(query);
  if (!m) throw new Error(`not a label_values(metric, label) query: ${JSON.stringify(query)}`);
  const use = scanPromql(m[1]!);
  if (use.selectors.length !== 1) throw new Error(`label_values needs one selector, got ${JSON.stringify(m[1])}`);
  return { selector: use.selectors[0]!, label: m[2]! };
}
