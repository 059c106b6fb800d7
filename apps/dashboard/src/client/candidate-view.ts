import type { ApiClient } from './api-client.ts';
import type { CandidateAnswer, MemoryEntry, Outcome, Provenance } from './api-types.ts';
import { diffLines, displayCode } from './code-diff.ts';
import { fmt, h, replace } from './dom.ts';
import { lineageTree } from './lineage-tree.ts';
import type { TreeNode } from './lineage-tree.ts';
import type { SearchSession } from './search-session.ts';

const outcomeText = (o: Outcome | null | undefined): string =>
  !o ? 'in flight' : o.status === 'ok' ? `ok, fitness ${fmt(o.fitness)}` : `failed: ${o.failure?.class ?? '?'}`;

/**
 * One candidate: its lineage as a tree you walk by clicking (ancestors root first, crossover partners
 * beside them, children below), its code and the diff against its first parent (jsdiff), diagnostics
 * (outcome, check, metrics, the improver's feedback, LLM calls, workers) and the feedback-memory
 * triples it was given. Answers that arrive after the user moved on are dropped.
 */
export class CandidateView {
  private shown = 0;

  constructor(private readonly root: HTMLElement, private readonly api: ApiClient, private readonly go: (candidateId: string | null) => void) {}

  async show(session: SearchSession, id: string): Promise<void> {
    const ticket = ++this.shown;
    this.root.hidden = false;
    replace(this.root, this.header(id, null), h('p', { class: 'muted' }, 'Loading…'));
    const base = `/v1/searches/${encodeURIComponent(session.id)}/candidates/`;
    try {
      const c = await this.api.get<CandidateAnswer>(`${base}${encodeURIComponent(id)}`);
      const parentId = c.candidate?.parentIds[0] ?? c.request?.parents[0]?.id ?? null;
      const parent = parentId ? await this.api.get<CandidateAnswer>(`${base}${encodeURIComponent(parentId)}`).catch(() => null) : null;
      if (ticket !== this.shown) return;
      this.render(session, c, parent);
    } catch (error) {
      if (ticket !== this.shown) return;
      replace(this.root, this.header(id, null), h('p', { class: 'error' }, (error as Error).message));
    }
  }

  hide(): void {
    this.shown += 1;
    this.root.hidden = true;
    this.root.replaceChildren();
  }

  private header(id: string, c: CandidateAnswer | null): HTMLElement {
    const record = c?.candidate;
    return h('header', { class: 'candidate-head' },
      h('h2', {}, 'candidate ', h('span', { id: 'candidate-id' }, id)),
      record ? h('span', { class: 'muted' }, `${record.operator}, generation ${record.generation}, temperature ${fmt(record.temperature)}${record.prompt ? `, prompt ${record.prompt.id}` : ''}`) : null,
      c ? h('span', { class: 'pill' }, c.told ? outcomeText(c.candidate?.result?.outcome ?? c.provenance?.result.outcome) : `in flight (${c.stage})`) : null,
      h('button', { type: 'button', class: 'close', 'aria-label': 'close', onclick: () => this.go(null) }, '×'));
  }

  private render(session: SearchSession, c: CandidateAnswer, parent: CandidateAnswer | null): void {
    const space = session.detail?.search.spec.space?.name ?? null;
    const record = c.candidate;
    const status = record?.result?.outcome.status ?? (c.told ? c.provenance?.result.outcome.status ?? 'failed' : 'in-flight');
    const fitness = record?.result?.outcome.fitness ?? null;
    const tree = lineageTree({ id: c.id, operator: record?.operator ?? c.request?.operator ?? '?', parentIds: record?.parentIds ?? [], status, fitness }, c.lineage, session.candidates.filter(Boolean));
    const code = c.code === null ? null : displayCode(space, c.code);
    const parentCode = parent?.code ? displayCode(space, parent.code) : null;
    replace(this.root,
      this.header(c.id, c),
      h('section', { class: 'lineage' }, h('h3', {}, 'Lineage'), this.tree(tree)),
      h('section', {}, h('h3', {}, 'Code'), code === null ? h('p', { class: 'muted' }, 'No code yet.') : h('pre', { class: 'code', id: 'candidate-code' }, code)),
      h('section', {}, h('h3', {}, parent ? `Diff against its parent ${parent.id}` : 'Diff'), this.diff(code, parentCode, parent !== null)),
      h('section', {}, h('h3', {}, 'Diagnostics'), this.diagnostics(c)),
      h('section', {}, h('h3', {}, 'Feedback memory it was given'), this.memory(c.provenance?.request.memory ?? c.request?.memory ?? null)));
  }

  private node(n: TreeNode, role: 'ancestor' | 'self' | 'child'): HTMLElement {
    return h('li', { class: `node ${role}` },
      h('button', { type: 'button', class: `node-button status-${n.status}`, 'data-candidate': n.id, disabled: role === 'self', onclick: () => this.go(n.id) },
        h('strong', {}, n.id), ` ${n.operator} · ${n.status === 'ok' ? fmt(n.fitness) : n.status}`),
      n.partners.length ? h('span', { class: 'partners' }, ' crossed with ', ...n.partners.map((p) =>
        h('button', { type: 'button', class: 'link', 'data-candidate': p, onclick: () => this.go(p) }, p))) : null);
  }

  private tree(t: ReturnType<typeof lineageTree>): HTMLElement {
    return h('div', { class: 'tree' },
      t.ancestors.length ? h('ol', { class: 'ancestors' }, ...t.ancestors.map((n) => this.node(n, 'ancestor'))) : h('p', { class: 'muted small' }, 'No parents: the first candidate.'),
      h('ol', { class: 'self' }, this.node(t.self, 'self')),
      t.children.length ? h('ul', { class: 'children' }, ...t.children.map((n) => this.node(n, 'child'))) : h('p', { class: 'muted small' }, 'No children yet.'));
  }

  private diff(code: string | null, parentCode: string | null, hasParent: boolean): HTMLElement {
    if (!hasParent) return h('p', { class: 'muted' }, 'No parent to compare with.');
    if (code === null || parentCode === null) return h('p', { class: 'muted' }, 'The code of one side is not known.');
    const lines = diffLines(parentCode, code);
    if (lines.length === 0) return h('p', { class: 'muted' }, 'Identical to its parent.');
    return h('pre', { class: 'diff', id: 'candidate-diff' }, ...lines.map((l) => h('span', { class: `diff-${l.kind}` }, `${l.text}\n`)));
  }

  private diagnostics(c: CandidateAnswer): HTMLElement {
    const p: Provenance | null = c.provenance;
    const outcome = c.candidate?.result?.outcome ?? p?.result.outcome;
    const metrics = { ...(p?.check?.metrics ?? {}), ...(p?.result.metrics ?? c.candidate?.result?.metrics ?? {}) };
    const feedback = p?.generate?.feedback ?? p?.result.feedback ?? null;
    const rows: [string, HTMLElement | string][] = [['outcome', outcomeText(outcome)]];
    if (outcome?.failure) rows.push(['failure', h('pre', { class: 'message' }, outcome.failure.message)]);
    if (p?.check) rows.push(['check', p.check.ok ? `ok, hash ${p.check.canonicalHash ?? '?'}, descriptors ${(p.check.descriptors ?? []).map((d) => fmt(d, 3)).join(', ')}` : `failed: ${p.check.failure?.class ?? '?'}`]);
    if (p?.duplicateOf) rows.push(['duplicate of', h('button', { type: 'button', class: 'link', onclick: () => this.go(p.duplicateOf) }, p.duplicateOf)]);
    if (Object.keys(metrics).length) rows.push(['metrics', Object.entries(metrics).map(([k, v]) => `${k} ${fmt(v, 3)}`).join(' · ')]);
    if (feedback) rows.push(['improver said', h('span', {}, h('strong', {}, 'problem: '), feedback.problem, h('br'), h('strong', {}, 'suggestion: '), feedback.suggestion)]);
    for (const call of p?.generate?.calls ?? []) rows.push([`LLM ${call.role}`, `${call.model}: ${call.promptTokens ?? '?'} → ${call.completionTokens ?? '?'} tokens, ${(call.durationMs / 1000).toFixed(1)} s, ${call.attempts} attempt(s)`]);
    for (const [step, run] of Object.entries(p?.steps ?? {})) if (run) rows.push([`${step} step`, `${run.worker.id} on ${run.worker.host} (pid ${run.worker.pid}), ${run.startedAt} → ${run.finishedAt}`]);
    if (!c.told) rows.push(['stage', `in flight: waiting for ${c.stage === 'generate' ? 'its answer' : 'training or evaluation'}`]);
    return h('dl', { class: 'diagnostics' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  }

  private memory(entries: MemoryEntry[] | null): HTMLElement {
    if (!entries || entries.length === 0) return h('p', { class: 'muted' }, entries ? 'An empty memory.' : 'None: this strategy hands no memory to its operator.');
    return h('table', { class: 'memory' },
      h('thead', {}, h('tr', {}, h('th', {}, 'candidate'), h('th', {}, 'problem'), h('th', {}, 'suggestion'), h('th', {}, 'outcome'), h('th', {}, 'baseline'))),
      h('tbody', {}, ...entries.map((e) => h('tr', {},
        h('td', {}, h('button', { type: 'button', class: 'link', 'data-candidate': e.candidateId, onclick: () => this.go(e.candidateId) }, e.candidateId)),
        h('td', {}, e.problem), h('td', {}, e.suggestion), h('td', {}, outcomeText(e.outcome)), h('td', {}, fmt(e.baseline ?? null))))));
  }
}
