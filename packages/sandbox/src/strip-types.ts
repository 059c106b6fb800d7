import { transform } from 'sucrase';

export type StripResult = { ok: true; code: string } | { ok: false; message: string; line: number | null; column: number | null };

/**
 * Removes TypeScript syntax (annotations, interfaces, `as` casts, generics) from `code`, keeping every
 * statement on its original line so that later error positions still point into the answer.
 * A parse error is returned as data with its 1-based line and column.
 */
export function stripTypeScript(code: string): StripResult {
  try {
    const out = transform(code, { transforms: ['typescript'], disableESTransforms: true, keepUnusedImports: true });
    return { ok: true, code: out.code };
  } catch (err) {
    const e = err as { message?: unknown; loc?: { line?: unknown; column?: unknown } };
    const line = typeof e.loc?.line === 'number' ? e.loc.line : null;
    const column = typeof e.loc?.column === 'number' ? e.loc.column + 1 : null;
    const message = typeof e.message === 'string' ? e.message.replace(/\(\d+:\d+\)$/, '').trimEnd() : String(err);
    return { ok: false, message, line, column };
  }
}
