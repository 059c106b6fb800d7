/**
 * Prometheus text exposition (format 0.0.4) from several sources as one valid document. The format
 * allows each metric family once, with its HELP and TYPE before its samples; a process that adds
 * text from outside its registry (BullMQ's queue counts) must merge, not concatenate.
 */

/** Two sources give one family different types: the document would be invalid, which is a bug of the caller. */
export class ExpositionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpositionError';
  }
}

interface Family {
  help: string | null;
  type: string | null;
  samples: string[];
}

const SAMPLE_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
/** Samples a histogram or summary family writes under its name with these endings. */
const SUFFIXES = ['_bucket', '_sum', '_count', '_created'];

/**
 * Merges exposition texts into one: each family once (the first HELP and TYPE seen), then the
 * samples of every source, in the order first seen. A histogram's `_bucket`/`_sum`/`_count` samples
 * stay with the family whose header they follow. Throws ExpositionError when two sources give one
 * family different types.
 */
export function mergeExposition(texts: readonly string[]): string {
  const families = new Map<string, Family>();
  const family = (name: string): Family => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { help: null, type: null, samples: [] }));
    return f;
  };
  for (const text of texts) {
    let current: string | null = null;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const header = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (header) {
        const [, kind, name, rest] = header as unknown as [string, 'HELP' | 'TYPE', string, string | undefined];
        current = name;
        const f = family(name);
        if (kind === 'HELP') f.help ??= line;
        else if (f.type === null) f.type = line;
        else if (f.type !== line) throw new ExpositionError(`metric family ${name} has two types: "${f.type.slice(`# TYPE ${name} `.length)}" and "${rest ?? ''}"`);
        continue;
      }
      if (line.startsWith('#')) continue;
      const name = SAMPLE_NAME.exec(line)?.[0] ?? line;
      const owner = current !== null && (name === current || SUFFIXES.some((s) => name === current + s)) ? current : name;
      family(owner).samples.push(line);
    }
  }
  const lines = [...families.values()].flatMap((f) => [...(f.help ? [f.help] : []), ...(f.type ? [f.type] : []), ...f.samples]);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * Renames metric families in an exposition text (headers and samples); names not in `names` are
 * kept. For families whose names break Prometheus's conventions and must not reach a scrape as they are.
 */
export function renameFamilies(text: string, names: Readonly<Record<string, string>>): string {
  const rename = (name: string): string => names[name] ?? name;
  return text
    .split('\n')
    .map((line) => {
      const header = /^# (HELP|TYPE) (\S+)(.*)$/.exec(line);
      if (header) return `# ${header[1]} ${rename(header[2]!)}${header[3]}`;
      if (line.startsWith('#')) return line;
      const name = SAMPLE_NAME.exec(line)?.[0];
      return name === undefined ? line : rename(name) + line.slice(name.length);
    })
    .join('\n');
}

/**
 * BullMQ's `exportPrometheusMetrics` families, renamed into nasfleet's: a gauge named
 * `bullmq_job_count` reads as a histogram's `_count` to Prometheus (promtool rejects it), and one
 * prefix keeps the fleet's dashboards to one namespace.
 */
export const BULLMQ_FAMILIES: Readonly<Record<string, string>> = {
  bullmq_job_count: 'nasfleet_queue_jobs',
  bullmq_job_completed_total: 'nasfleet_queue_completed_jobs_total',
  bullmq_job_failed_total: 'nasfleet_queue_failed_jobs_total',
};

/** BullMQ's queue metrics text (e.g. @nasfleet/queues' queueMetrics) with its families renamed by BULLMQ_FAMILIES. */
export function queueExposition(bullmqText: string): string {
  return renameFamilies(bullmqText, BULLMQ_FAMILIES);
}
