import type { Queue } from 'bullmq';

/**
 * Prometheus text for the given queues, from BullMQ's `exportPrometheusMetrics()` on each (jobs by
 * state, completed and failed totals, each sample labelled with its queue). BullMQ writes a HELP and
 * TYPE header per queue; the exposition format allows each metric family once, so the families are
 * merged: one header, then every queue's samples, in the order first seen. Counts of completed and
 * failed jobs need workers with metrics on (createQueueWorker turns them on).
 */
export async function queueMetrics(queues: readonly Queue[], labels?: Record<string, string>): Promise<string> {
  const texts = await Promise.all(queues.map((q) => q.exportPrometheusMetrics(labels)));
  const families = new Map<string, { header: string[]; samples: string[] }>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { header: [], samples: [] }));
    return f;
  };
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const header = /^# (HELP|TYPE) (\S+)/.exec(line);
      if (header) {
        const f = family(header[2]!);
        if (!f.header.some((h) => h.startsWith(`# ${header[1]} `))) f.header.push(line);
        continue;
      }
      const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? line;
      family(name).samples.push(line);
    }
  }
  return [...families.values()].flatMap((f) => [...f.header, ...f.samples]).join('\n') + '\n';
}
