import { createProgress } from '../progress-bar.ts';
import { followStream } from './event-source.ts';
import { ENDED, SearchDetail } from './fleet-answers.ts';
import { FleetError, searchPath } from './fleet-client.ts';
import type { FleetClient } from './fleet-client.ts';
import type { FleetIo } from './fleet-io.ts';
import { applyEvent, emptyTally, fitnessText, tallyLine } from './search-tally.ts';
import type { Tally } from './search-tally.ts';
import { detailText, statusText } from './search-text.ts';

/** GET /v1/searches/{id}. */
export async function getDetail(client: FleetClient, id: string): Promise<SearchDetail> {
  return (await client.json(SearchDetail, 'GET', searchPath(id))).data;
}

const BAR_FORMAT = '{bar} {value}/{total} | best {best} | failed {failed} | in flight {inflight} | {status} | {duration_formatted}';

const barFields = (t: Tally) => ({
  best: t.best ? fitnessText(t.best.fitness) : '-', failed: t.failed, inflight: Math.max(0, t.asked - t.told), status: statusText(t.status, t.requested),
});

/**
 * Follows a search's event stream to its end: on a terminal a progress bar (told of the budget,
 * best, failures, in flight), otherwise plain lines (each new best, every tenth of the budget, each
 * status change, each reconnection, the tally at the end). Resolves with the search's detail once
 * it has ended (at once for a search that already had).
 */
export async function followToEnd(client: FleetClient, id: string, io: FleetIo): Promise<SearchDetail> {
  const first = await getDetail(client, id);
  if (ENDED.has(first.search.status)) return first;
  const budget = first.progress.evaluations;
  const step = Math.max(1, Math.ceil((budget ?? 100) / 10));
  const tally = emptyTally();
  const progress = createProgress(io.progressStream, budget ?? 1, BAR_FORMAT, barFields(tally));
  const spec = first.search.spec as { space?: { name?: string }; config?: { strategy?: string } };
  progress.log(`following search ${id} (${spec.space?.name ?? '?'}, ${spec.config?.strategy ?? '?'}, ${budget ?? '?'} evaluations) at ${client.base.href}`);
  let nextLine = step;
  let shownStatus = '';
  try {
    await followStream({
      client,
      path: searchPath(id, '/events'),
      onMessage(message) {
        const change = applyEvent(tally, message);
        if (progress.tty) {
          progress.update(tally.told, barFields(tally));
          return tally.ended;
        }
        const status = statusText(tally.status, tally.requested);
        // An ended status is said once, by the end line with the final tally.
        if ((change.kind === 'status' || change.kind === 'snapshot') && status !== shownStatus && !ENDED.has(tally.status)) {
          progress.log(`status: ${status}`);
          shownStatus = status;
        }
        if (change.newBest) progress.log(`${tallyLine(tally, budget)}: new best`);
        else if (change.kind === 'told' && tally.told >= nextLine && tally.told !== budget) progress.log(tallyLine(tally, budget));
        else if (change.kind === 'end') progress.log(`${tallyLine(tally, budget)}: ${tally.status}`);
        if (tally.told >= nextLine) nextLine = (Math.floor(tally.told / step) + 1) * step;
        return tally.ended;
      },
      onReconnect: (r) => progress.log(`the event stream was cut (${r.reason}); reconnecting after event ${r.lastEventId ?? '(none)'}`),
    });
  } finally {
    progress.stop();
  }
  return getDetail(client, id);
}

/** `nasfleet follow ID`: the progress, then the summary table (the detail as JSON with --json); FleetError when the search failed. */
export async function runFollow(client: FleetClient, id: string, io: FleetIo, json: boolean): Promise<number> {
  const detail = await followToEnd(client, id, io);
  io.stdout(json ? JSON.stringify(detail, null, 2) : detailText(detail));
  if (detail.search.status === 'failed') throw new FleetError(`search ${id} failed: ${detail.search.error ?? 'no reason recorded'}`);
  return 0;
}
