import type { CandidateRequest, CandidateResult, CheckResult, GenerateResult } from '@nasfleet/contracts';
import { loadPromptSet } from '@nasfleet/prompts';
import type { SearchEngine } from '@nasfleet/search';
import { builtInSpaces } from '@nasfleet/spaces';
import { assembleResult, createGenerateStep } from '@nasfleet/steps';
import type { SearchSpace } from '@nasfleet/steps';
import type { SearchStore } from '@nasfleet/store';
import { createEngine } from '../../create-engine.ts';
import { CandidateProvenance, slimRequest } from '../../provenance.ts';
import { runnerSnapshot } from '../../runner-state.ts';
import type { Pending } from '../../runner-state.ts';
import { SearchSpec } from '../../search-spec.ts';
import type { SearchSpecInput } from '../../search-spec.ts';
import { submitSearch } from '../../submit-search.ts';

/** A search written into a store as its runner writes it, one step at a time, by a test. */
export interface WrittenSearch {
  readonly id: string;
  readonly engine: SearchEngine;
  /** Asks `n` candidates one at a time and tells each (a real NB201 look-up with the rule operator); `broken` ids get an answer that fails its check. */
  tell(n: number, options?: { broken?: (index: number) => boolean }): Promise<CandidateResult[]>;
  /** Asks one candidate and journals its generate output, but tells nothing: a candidate in flight. */
  askOnly(): Promise<CandidateRequest>;
  saveSnapshot(): Promise<number>;
  /** Snapshot, then trims the journal up to it. */
  trim(): Promise<void>;
  setStatus(status: 'done' | 'failed' | 'cancelled' | 'paused' | 'running', error?: string): Promise<void>;
  /** The journal's last seq. */
  lastSeq(): number;
  close(): Promise<void>;
}

const at = () => new Date().toISOString();
const worker = { id: 'llm-test', host: 'test', pid: 1 };

/**
 * Submits an NB201 search and writes it as search-runner.ts does, under a lease: each ask journaled
 * before its generate output, the check's hash claims (none: NB201 does not de-duplicate), each tell
 * journaled before engine.tell, the first snapshot after the first ask, one every `snapshotEvery`
 * tells, and each told candidate's provenance record (putCandidate).
 */
export async function writeSearch(store: SearchStore, id: string, spec: SearchSpecInput, snapshotEvery = 4): Promise<WrittenSearch> {
  await submitSearch(store, spec, { id });
  const parsed = SearchSpec.parse(spec);
  const lease = await store.acquireLease(id, 'test-writer', 600_000);
  if (!lease) throw new Error(`no lease on ${id}`);
  const token = lease.token;
  const space: SearchSpace = await builtInSpaces().create(parsed.space.name, parsed.space.options);
  const prompts = loadPromptSet();
  const engine = createEngine(parsed, space, prompts);
  const generate = createGenerateStep(space, { kind: 'rule' });
  const pending = new Map<string, Pending>();
  let lastSeq = 0;
  let toldSinceSnapshot = 0;

  const append = async (...entries: Parameters<SearchStore['append']>[1]) => {
    lastSeq = (await store.append(id, entries, token)).at(-1) ?? lastSeq;
  };
  const saveSnapshot = async () => {
    await store.saveSnapshot(id, runnerSnapshot(engine, pending), lastSeq, token);
    return lastSeq;
  };
  const ask = async (broken: boolean): Promise<{ request: CandidateRequest; generated: GenerateResult; check: CheckResult | null }> => {
    const [request] = engine.ask(1);
    pending.set(request!.id, { request: request!, generated: null });
    await append({ op: 'ask', n: 1, ids: [request!.id] });
    if (lastSeq === 1) await saveSnapshot();
    const made = await generate(request!);
    const generated = broken ? { ...made, answer: 'no cell here' } : made;
    const check = generated.answer === null ? null : await space.check(generated.answer);
    await append({ op: 'generated', id: request!.id, generate: generated, check });
    pending.get(request!.id)!.generated = { generate: generated, check };
    return { request: request!, generated, check };
  };

  return {
    id,
    engine,
    async tell(n, options = {}) {
      const results: CandidateResult[] = [];
      for (let i = 0; i < n; i++) {
        const { request, generated, check } = await ask(options.broken?.(engine.status().asked) ?? false);
        const result = check?.ok
          ? assembleResult(generated, check, { kind: 'evaluated', evaluation: await space.evaluate(check, request.id) })
          : assembleResult(generated, check, null);
        await append({ op: 'tell', results: [result] });
        engine.tell([result]);
        pending.delete(request.id);
        const record = CandidateProvenance.parse({
          format: 'nasfleet.candidate/v1', searchId: id, request: slimRequest(request), promptSetHash: prompts.hash, generate: generated, check, result,
          duplicateOf: null, steps: { generate: { worker, startedAt: at(), finishedAt: at() }, train: null }, askedAt: at(), toldAt: at(),
        });
        await store.putCandidate(id, request.id, record, token);
        results.push(result);
        if (++toldSinceSnapshot >= snapshotEvery) {
          await saveSnapshot();
          toldSinceSnapshot = 0;
        }
      }
      return results;
    },
    async askOnly() {
      return (await ask(false)).request;
    },
    saveSnapshot,
    async trim() {
      await store.trimJournal(id, await saveSnapshot(), token);
    },
    async setStatus(status, error) {
      await store.setStatus(id, status, token, error ?? null);
    },
    lastSeq: () => lastSeq,
    async close() {
      await space.close?.();
    },
  };
}
