import type { SearchDetail, SearchSummary } from './fleet-answers.ts';
import { fitnessText } from './search-tally.ts';
import { formatTable } from './text-table.ts';

/** A status with what was asked of it, when that differs (`running (cancel requested)`). */
export function statusText(status: string, requested: string | null): string {
  if (!requested || requested === status) return status;
  const verb = requested === 'cancelled' ? 'cancel' : requested === 'paused' ? 'pause' : 'resume';
  return `${status} (${verb} requested)`;
}

/** A stored spec's space, with its dataset when it names one (`nb201/cifar10`). */
function spaceText(spec: Record<string, unknown>): string {
  const space = spec.space as { name?: unknown; options?: { dataset?: unknown } } | undefined;
  const name = typeof space?.name === 'string' ? space.name : '?';
  return typeof space?.options?.dataset === 'string' ? `${name}/${space.options.dataset}` : name;
}

/** `nasfleet list`: one row per search, the most recent first. */
export function listText(searches: SearchSummary[]): string {
  if (searches.length === 0) return 'no searches';
  return formatTable(
    searches.map((s) => [s.id, statusText(s.status, s.requested), s.strategy ?? '?', s.space ?? '?', `${s.told}/${s.evaluations ?? '?'}`, s.createdAt.replace(/\.\d+Z$/, 'Z')]),
    { header: ['ID', 'STATUS', 'STRATEGY', 'SPACE', 'TOLD', 'CREATED'], right: [4] },
  );
}

/**
 * A search in full as a two-column table: status, space and strategy, progress, outcomes by failure
 * class, best candidate, archives. What `nasfleet show` prints, and `follow` at the end.
 */
export function detailText(d: SearchDetail): string {
  const spec = d.search.spec;
  const config = (spec.config ?? {}) as { strategy?: unknown; seed?: unknown };
  const llm = (spec.llm ?? {}) as { provider?: unknown; generatorModel?: unknown };
  const rows: string[][] = [
    ['search', d.search.id],
    ['status', statusText(d.search.status, d.search.requested)],
    ...(d.search.error ? [['error', d.search.error]] : []),
    ['space', spaceText(spec)],
    ['strategy', `${String(config.strategy ?? '?')}, seed ${String(config.seed ?? 0)}`],
    ['llm', llm.provider === undefined || llm.provider === 'rule' ? 'rule (no LLM)' : `${String(llm.provider)} ${String(llm.generatorModel ?? '')}`.trim()],
    ['told', `${d.progress.told} of ${d.progress.evaluations ?? '?'}${d.progress.inFlight ? `, ${d.progress.inFlight} in flight` : ''}`],
    ['outcomes', `${d.outcomes.ok} ok, ${d.outcomes.failed} failed`],
  ];
  const classes = Object.entries(d.outcomes.byFailureClass).sort(([a], [b]) => a.localeCompare(b));
  if (classes.length) rows.push(['failures', classes.map(([c, n]) => `${c} ${n}`).join(', ')]);
  rows.push(['best', d.best ? `${d.best.id}, fitness ${fitnessText(d.best.fitness)}` : 'none yet']);
  for (const [name, a] of Object.entries(d.archives).sort(([x], [y]) => x.localeCompare(y))) {
    const qd = a.qdScore === null ? '' : `, QD score ${a.qdScore.toFixed(1)}`;
    rows.push([`${name} archive`, `coverage ${(100 * a.coverage).toFixed(1)}% (${a.size} of ${a.niches} niches)${qd}`]);
  }
  rows.push(['distinct', `${d.distinct} architectures`]);
  rows.push(['created', d.search.createdAt]);
  return formatTable(rows);
}
