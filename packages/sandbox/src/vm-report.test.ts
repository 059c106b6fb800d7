import { describe, expect, it } from 'vitest';
import { MAX_REPORT_CHARS, readVmReport } from './vm-report.ts';

describe('readVmReport', () => {
  it('refuses reports that are oversized, not JSON, malformed or carry an invalid architecture', () => {
    const cases = [
      'x'.repeat(MAX_REPORT_CHARS + 1),
      '{"ok":true',
      '{"ok":false,"kind":"pwned","message":"","call":null,"line":null,"column":null}',
      '{"ok":true,"architecture":{"format":"nasfleet.arch/v1","nodes":[],"output":"a"}}',
      '{"ok":true,"architecture":{"format":"nasfleet.arch/v1","nodes":[{"id":"input","op":"input","inputs":[],"config":{"shape":[2]}},{"id":"d","op":"dense","inputs":["nope"],"config":{"units":1,"activation":"linear","useBias":true}}],"output":"d"}}',
      '{"ok":true,"architecture":{},"extra":1}',
    ];
    for (const text of cases) {
      const r = readVmReport(text);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.failure.class).toBe('sandbox-runtime');
    }
  });

  it('maps report kinds to failure classes with position and layer call', () => {
    const r = readVmReport('{"ok":false,"kind":"unsupported","message":"tf.layers.gru is not available","call":"tf.layers.gru (layer call #1)","line":3,"column":7}');
    expect(r).toEqual({ ok: false, failure: { class: 'unsupported-layer', message: 'tf.layers.gru is not available (answer line 3, column 7); last layer call: tf.layers.gru (layer call #1)' } });
    const m = readVmReport('{"ok":false,"kind":"missing","message":"no buildModel","call":null,"line":null,"column":null}');
    expect(!m.ok && m.failure.class).toBe('extraction');
  });

  it('maps bad option values to invalid-option and the node cap to over-budget', () => {
    const report = (kind: string): string => JSON.stringify({ ok: false, kind, message: 'tf.layers.dense (layer call #2): units must be a positive integer (1 to 1000000), got NaN', call: 'tf.layers.dense (layer call #2)', line: null, column: null });
    expect(readVmReport(report('option'))).toEqual({ ok: false, failure: { class: 'invalid-option', message: 'tf.layers.dense (layer call #2): units must be a positive integer (1 to 1000000), got NaN' } });
    const budget = readVmReport(report('budget'));
    expect(!budget.ok && budget.failure.class).toBe('over-budget');
  });
});
