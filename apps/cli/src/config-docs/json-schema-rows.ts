/** One documented setting: where it is, its type, default, allowed values and description. */
export interface SettingRow {
  name: string;
  type: string;
  /** `required`, `unset` (optional, no default) or the default as JSON. */
  default: string;
  allowed: string;
  description: string;
}

/** The part of a JSON Schema (draft 2020-12, as zod 4's toJSONSchema writes it) the reference reads. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | false;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
}

// Bounds zod writes for every int() that mean "no bound" to a reader.
const NO_BOUND = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

/** The alternatives of a union, `null` left out (it shows as "or null" in the type). */
const variants = (s: JsonSchema): JsonSchema[] => s.anyOf ?? s.oneOf ?? [s];

/** A schema's type in words: `integer`, `string or null`, `array of [number, number]`, `"a" | "b"`. */
export function typeText(s: JsonSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf || s.oneOf) return [...new Set(variants(s).map(typeText))].join(' or ');
  if (s.prefixItems) return `[${s.prefixItems.map(typeText).join(', ')}]`;
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const words = types.map((t) => {
    if (t === 'array') return s.items ? `array of ${typeText(s.items)}` : 'array';
    if (t === 'object' && !s.properties && s.additionalProperties && typeof s.additionalProperties === 'object' && Object.keys(s.additionalProperties).length) {
      return `map of ${typeText(s.additionalProperties)}`;
    }
    return t;
  });
  return words.length ? words.join(' or ') : 'any';
}

/** Allowed values and bounds in words: `one of a, b`, `> 0, ≤ 1000`, `non-empty`, `pattern ^…$`. */
export function allowedText(s: JsonSchema): string {
  const parts: string[] = [];
  for (const v of variants(s)) {
    if (v.enum) parts.push(v.enum.map((e) => `\`${String(e)}\``).join(', '));
    if (v.exclusiveMinimum !== undefined) parts.push(`> ${v.exclusiveMinimum}`);
    if (v.minimum !== undefined && !NO_BOUND.has(v.minimum)) parts.push(`≥ ${v.minimum}`);
    if (v.exclusiveMaximum !== undefined) parts.push(`< ${v.exclusiveMaximum}`);
    if (v.maximum !== undefined && !NO_BOUND.has(v.maximum)) parts.push(`≤ ${v.maximum}`);
    if (v.minLength === 1) parts.push('non-empty');
    else if (v.minLength !== undefined) parts.push(`at least ${v.minLength} characters`);
    if (v.maxLength !== undefined) parts.push(`at most ${v.maxLength} characters`);
    if (v.pattern !== undefined) parts.push(`matches \`${v.pattern}\``);
    if (v.format !== undefined) parts.push(v.format);
    if (v.items && typeof v.items === 'object') {
      const inner = allowedText(v.items);
      if (inner) parts.push(`each ${inner}`);
    }
    if (v.prefixItems) {
      const inner = [...new Set(v.prefixItems.map(allowedText).filter(Boolean))];
      if (inner.length) parts.push(`each ${inner.join('; ')}`);
    }
  }
  return parts.join(', ');
}

/** A default as the reference shows it. */
const defaultText = (value: unknown, normalise: (text: string) => string): string => normalise(JSON.stringify(value));

/** An object with named properties: documented field by field, not as one row. */
const isRecordOfFields = (s: JsonSchema): boolean => s.properties !== undefined && Object.keys(s.properties).length > 0;

/**
 * The rows of an object schema, flattened: a nested object's fields appear as `parent.child`
 * (after a row of their own only when the object itself has a description). `normalise` rewrites
 * machine-specific text in defaults (the repository's path).
 */
export function settingRows(schema: JsonSchema, normalise: (text: string) => string = (t) => t, prefix = ''): SettingRow[] {
  const rows: SettingRow[] = [];
  const required = new Set(schema.required ?? []);
  for (const [key, s] of Object.entries(schema.properties ?? {})) {
    const name = `${prefix}${key}`;
    const nested = variants(s).find(isRecordOfFields);
    if (nested) {
      if (s.description) rows.push({ name, type: 'object', default: required.has(key) ? 'required' : 'see fields', allowed: '', description: s.description });
      rows.push(...settingRows({ ...nested, description: undefined }, normalise, `${name}.`));
      continue;
    }
    rows.push({
      name,
      type: typeText(s),
      default: s.default !== undefined ? defaultText(s.default, normalise) : required.has(key) ? 'required' : 'unset',
      allowed: allowedText(s),
      description: s.description ?? '',
    });
  }
  return rows;
}

/** Text safe inside a Markdown table cell. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Rows as a Markdown table: name, type, default, allowed, description. */
export function markdownTable(rows: SettingRow[], nameHeader = 'name'): string {
  const lines = [`| ${nameHeader} | type | default | allowed | description |`, '|---|---|---|---|---|'];
  for (const r of rows) {
    const def = r.default === 'required' || r.default === 'unset' || r.default === 'see fields' ? r.default : `\`${r.default}\``;
    lines.push(`| \`${cell(r.name)}\` | ${cell(r.type)} | ${cell(def)} | ${cell(r.allowed)} | ${cell(r.description)} |`);
  }
  return lines.join('\n');
}
