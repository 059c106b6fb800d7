import { z } from 'zod';
import { Architecture } from '@nasfleet/arch';
import type { Failure, FailureClass } from '@nasfleet/contracts';

/** The one JSON document that crosses from the VM to the host. Untrusted: parsed, never believed. */
export const VmReport = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), architecture: z.unknown() }).strict(),
  z.object({
    ok: z.literal(false),
    kind: z.enum(['runtime', 'unsupported', 'option', 'budget', 'shape', 'output', 'missing', 'memory', 'stack']),
    message: z.string().max(4000),
    call: z.string().max(400).nullable(),
    line: z.number().int().nonnegative().nullable(),
    column: z.number().int().nonnegative().nullable(),
  }).strict(),
]);
export type VmReport = z.infer<typeof VmReport>;

const CLASS_OF: Record<Exclude<VmReport, { ok: true }>['kind'], FailureClass> = {
  runtime: 'sandbox-runtime',
  unsupported: 'unsupported-layer',
  option: 'invalid-option',
  budget: 'over-budget',
  shape: 'shape',
  output: 'output',
  missing: 'extraction',
  memory: 'memory',
  stack: 'sandbox-runtime',
};

/** Largest report accepted from the VM: 512 nodes of small configs fit in far less. */
export const MAX_REPORT_CHARS = 1 << 20;

export type ReportResult = { ok: true; architecture: Architecture } | { ok: false; failure: Failure };

function clip(s: string): string {
  return s.length > 3900 ? `${s.slice(0, 3900)}...` : s;
}

/**
 * Turns the VM's report string into an architecture or a classified failure. Anything that does not
 * parse or validate is a failure of the candidate ('sandbox-runtime'), never passed through.
 */
export function readVmReport(text: string): ReportResult {
  if (text.length > MAX_REPORT_CHARS) return { ok: false, failure: { class: 'sandbox-runtime', message: `the sandbox report is ${text.length} characters, over the ${MAX_REPORT_CHARS} cap` } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, failure: { class: 'sandbox-runtime', message: 'the sandbox report is not JSON' } };
  }
  const report = VmReport.safeParse(json);
  if (!report.success) return { ok: false, failure: { class: 'sandbox-runtime', message: clip(`the sandbox report is malformed: ${report.error.message}`) } };
  const r = report.data;
  if (r.ok) {
    const arch = Architecture.safeParse(r.architecture);
    if (!arch.success) return { ok: false, failure: { class: 'sandbox-runtime', message: clip(`the recorded architecture is invalid: ${arch.error.message}`) } };
    return { ok: true, architecture: arch.data };
  }
  const at = r.line === null ? '' : ` (answer line ${r.line}, column ${r.column ?? 0})`;
  const call = r.call === null || r.message.includes(r.call) ? '' : `; last layer call: ${r.call}`;
  return { ok: false, failure: { class: CLASS_OF[r.kind], message: clip(`${r.message}${at}${call}`) } };
}
