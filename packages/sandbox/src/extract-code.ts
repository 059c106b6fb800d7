import type { Failure } from '@nasfleet/contracts';
import { fencedBlocks, type Block } from './fenced-blocks.ts';
import { stripTypeScript } from './strip-types.ts';

/** The code found in an answer, with notes on what was chosen and changed; or why there is none. */
export type Extraction =
  | { ok: true; code: string; language: 'javascript' | 'typescript'; notes: string[] }
  | { ok: false; failure: Failure; code: string | null; notes: string[] };

const JS_LANGS = new Set(['', 'js', 'javascript', 'jsx', 'mjs', 'cjs', 'node', 'ts', 'typescript', 'tsx', 'mts']);
const TS_LANGS = new Set(['ts', 'typescript', 'tsx', 'mts']);
const PY_LANGS = new Set(['py', 'python', 'python3', 'pytorch']);

// Every pattern runs on whole answers of up to megabytes, so none may backtrack for long: each
// quantifier is bounded ({0,16}, {1,64}, ...) or anchored after a fixed token that its characters
// cannot contain, so the work per start position is bounded by a constant and a scan is linear.
// `H` is horizontal space (any space but the newline): `^H{0,64}` stays on its own line.
const H = String.raw`[^\S\n]`;
const re = (source: string, flags = ''): RegExp => new RegExp(source, flags);

const DEFINES_BUILD_MODEL = re(String.raw`\bfunction[\s*]{0,16}\bbuildModel\s{0,16}\(|\b(?:const|let|var)\s{1,16}buildModel\s{0,16}=|\bbuildModel\s{0,16}=\s{0,16}(?:function|\(|async|[A-Za-z_$][\w$]{0,64}\s{0,16}=>)`);
const PYTHON = re(
  String.raw`^${H}{0,64}(?:import${H}{1,16}(?:torch|keras|tensorflow|numpy)\b|from${H}{1,16}(?:torch|keras|tensorflow)\b|` +
    String.raw`def${H}{1,16}\w{1,64}${H}{0,16}\([^\n]{0,200}\)${H}{0,16}(?:->[^:\n]{1,100})?:${H}{0,16}$|` +
    String.raw`class${H}{1,16}\w{1,64}${H}{0,16}\((?:nn\.Module|keras\.\w{1,64}|tf\.keras\.\w{1,64})\)${H}{0,16}:)|` +
    String.raw`\bnn\.Module\b|\btorch\.nn\b|\b(?:tf\.)?keras\.(?:layers|models|Sequential|Model)\b`,
  'm',
);
const TS_HINTS = re(
  String.raw`^${H}{0,64}(?:interface${H}{1,16}\w|type${H}{1,16}\w{1,64}${H}{0,16}=|enum${H}{1,16}\w)|` +
    String.raw`\)${H}{0,16}:${H}{0,16}[\w.]{1,64}(?:<[^>\n]{0,200}>)?\s{0,16}\{|` +
    String.raw`\b(?:const|let|var)${H}{1,16}\w{1,64}${H}{0,16}:${H}{0,16}[\w.]|` +
    String.raw`\b\w{1,64}${H}{0,16}:${H}{0,16}(?:number|string|boolean|any|unknown|tf\.[A-Z]\w{0,64}|Tensor|SymbolicTensor|LayersModel|Sequential)(?:\[\])?${H}{0,16}[,)=;]|` +
    String.raw`\bas${H}{1,16}(?:(?:any|unknown|number)\b|tf\.[A-Z]|[A-Z])`,
  'm',
);

const PYTHON_MESSAGE =
  'the answer is Python (PyTorch/Keras); answer in JavaScript with the TensorFlow.js layers API instead: ' +
  'one ```javascript block defining function buildModel(tf, inputShape, numClasses) that builds the network with ' +
  'tf.sequential()/tf.layers.* or tf.input/tf.model and returns the model';

/** Whether a line ends like a statement or block (`}`, `;` or `)`), a trailing // comment aside. */
function endsStatement(line: string): boolean {
  const t = line.trimEnd();
  if (/[};)]$/.test(t)) return true;
  const comment = t.indexOf('//');
  return comment > 0 && /[};)]$/.test(t.slice(0, comment).trimEnd());
}

/** An answer with no fences: keep the lines from the first code-looking line to the last closing one. */
function unfencedCode(answer: string): string | null {
  if (!DEFINES_BUILD_MODEL.test(answer) && !/\btf\.(?:sequential|layers|model|input)\b/.test(answer)) return null;
  const lines = answer.split('\n');
  const codeStart = /^\s*(?:(?:export\s+)?(?:async\s+)?function\b|const\b|let\b|var\b|import\b|export\b|\/\/|\/\*|['"]use strict['"]|class\b)/;
  const first = lines.findIndex((l) => codeStart.test(l));
  if (first < 0) return null;
  let last = lines.length - 1;
  while (last > first && !endsStatement(lines[last] as string)) last -= 1;
  return lines.slice(first, last + 1).join('\n');
}

/**
 * Makes common module boilerplate harmless without moving any line: tfjs imports/requires and
 * `module.exports` lines become blank, `export` keywords are dropped (the sandbox runs a plain script).
 */
function dropModuleBoilerplate(code: string, notes: string[]): string {
  const tfModule = /['"]@tensorflow\/tfjs(?:-node(?:-gpu)?|-layers|-core)?['"]/;
  let dropped = 0;
  const lines = code.split('\n').map((line) => {
    if (/^\s*import\b/.test(line) && tfModule.test(line)) {
      dropped += 1;
      return '';
    }
    if (/^\s*(?:const|let|var)\s+\w+\s*=\s*require\s*\(/.test(line) && tfModule.test(line)) {
      dropped += 1;
      return '';
    }
    if (/^(?:module\.)?exports(?:\.\w+)?\s*=[\w{}\s,:]*;?$/.test(line.trim())) {
      dropped += 1;
      return '';
    }
    const unexported = line.replace(/^(\s*)export\s+(?:default\s+)?(?=(?:async\s+)?function\b|const\b|let\b|var\b|class\b)/, '$1');
    if (unexported !== line) dropped += 1;
    return unexported;
  });
  if (dropped > 0) notes.push(`removed ${dropped} import/require/export line(s) or keyword(s): tf is passed to buildModel`);
  return lines.join('\n');
}

function fail(message: string, notes: string[], code: string | null = null): Extraction {
  return { ok: false, failure: { class: 'extraction', message }, code, notes };
}

/**
 * Finds the network code in an LLM answer: the fenced JS/TS block that defines `buildModel` (the last
 * such block when several do), else the only/last JS block, else an unfenced answer that is code.
 * TypeScript is stripped to JavaScript (positions kept). Python answers, empty answers and answers
 * with no code fail with class 'extraction' and a message the LLM can act on.
 */
export function extractCode(answer: string): Extraction {
  const notes: string[] = [];
  if (answer.trim() === '') return fail('the answer is empty; reply with one ```javascript block defining function buildModel(tf, inputShape, numClasses)', notes);
  const blocks = fencedBlocks(answer);
  const jsBlocks = blocks.filter((b) => JS_LANGS.has(b.lang) && b.body.trim() !== '');
  let chosen: Block | null = null;
  if (jsBlocks.length > 0) {
    const defining = jsBlocks.filter((b) => DEFINES_BUILD_MODEL.test(b.body));
    chosen = (defining.length > 0 ? defining[defining.length - 1] : jsBlocks[jsBlocks.length - 1]) ?? null;
    if (jsBlocks.length > 1 && chosen !== null) {
      const which = jsBlocks.indexOf(chosen) + 1;
      notes.push(defining.length > 0
        ? `${jsBlocks.length} code blocks; used block ${which}, the last that defines buildModel`
        : `${jsBlocks.length} code blocks, none defines buildModel; used the last one`);
    }
  } else {
    const other = blocks.find((b) => DEFINES_BUILD_MODEL.test(b.body) && !PY_LANGS.has(b.lang));
    if (other) {
      chosen = other;
      notes.push(`used the \`\`\`${other.lang} block that defines buildModel`);
    }
  }
  if (chosen === null) {
    if (blocks.some((b) => PY_LANGS.has(b.lang)) || PYTHON.test(answer)) return fail(PYTHON_MESSAGE, notes);
    if (blocks.length === 0) {
      const code = unfencedCode(answer);
      if (code !== null) {
        notes.push(code.trim() === answer.trim() ? 'no code fence: the whole answer is code' : 'no code fence: took the code lines between the prose');
        chosen = { lang: '', body: code };
      }
    }
  }
  if (chosen?.insideOf !== undefined) notes.push(`took the \`\`\`${chosen.lang || 'code'} block inside the \`\`\`${chosen.insideOf} block`);
  if (chosen === null) return fail('no JavaScript code found in the answer; reply with one ```javascript block defining function buildModel(tf, inputShape, numClasses)', notes);
  if (!DEFINES_BUILD_MODEL.test(chosen.body) && PYTHON.test(chosen.body)) return fail(PYTHON_MESSAGE, notes, chosen.body);

  let code = dropModuleBoilerplate(chosen.body.replace(/\r\n?/g, '\n'), notes);
  const typescript = TS_LANGS.has(chosen.lang) || TS_HINTS.test(code);
  if (typescript) {
    const stripped = stripTypeScript(code);
    if (!stripped.ok) {
      const at = stripped.line === null ? '' : ` at line ${stripped.line}, column ${stripped.column ?? 0}`;
      return { ok: false, failure: { class: 'syntax', message: `SyntaxError (TypeScript): ${stripped.message}${at}` }, code, notes };
    }
    code = stripped.code;
    notes.push('TypeScript: type annotations were stripped; answer in plain JavaScript');
  }
  return { ok: true, code, language: typescript ? 'typescript' : 'javascript', notes };
}
