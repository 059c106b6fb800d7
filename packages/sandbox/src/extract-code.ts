import type { Failure } from '@nasfleet/search';
import { stripTypeScript } from './strip-types.ts';

/** The code found in an answer, with notes on what was chosen and changed; or why there is none. */
export type Extraction =
  | { ok: true; code: string; language: 'javascript' | 'typescript'; notes: string[] }
  | { ok: false; failure: Failure; code: string | null; notes: string[] };

interface Block {
  lang: string;
  body: string;
}

const JS_LANGS = new Set(['', 'js', 'javascript', 'jsx', 'mjs', 'cjs', 'node', 'ts', 'typescript', 'tsx', 'mts']);
const TS_LANGS = new Set(['ts', 'typescript', 'tsx', 'mts']);
const PY_LANGS = new Set(['py', 'python', 'python3', 'pytorch']);

const DEFINES_BUILD_MODEL = /\bfunction\s*\*?\s*buildModel\s*\(|\b(?:const|let|var)\s+buildModel\s*=|\bbuildModel\s*=\s*(?:function|\(|async|[A-Za-z_$][\w$]*\s*=>)/;
const PYTHON = /^\s*(?:import\s+(?:torch|keras|tensorflow|numpy)\b|from\s+(?:torch|keras|tensorflow)\b|def\s+\w+\s*\(.*\)\s*(?:->\s*[\w.[\], ]+)?:\s*$|class\s+\w+\s*\((?:nn\.Module|keras\.\w+|tf\.keras\.\w+)\)\s*:)|\bnn\.Module\b|\btorch\.nn\b|\b(?:tf\.)?keras\.(?:layers|models|Sequential|Model)\b/m;
const TS_HINTS = /^\s*(?:interface\s+\w+|type\s+\w+\s*=|enum\s+\w+)|\)\s*:\s*[\w.]+(?:<[^>]*>)?\s*\{|\b(?:const|let|var)\s+\w+\s*:\s*[\w.]+|\b\w+\s*:\s*(?:number|string|boolean|any|unknown|tf\.[A-Z]\w*|Tensor|SymbolicTensor|LayersModel|Sequential)(?:\[\])?\s*[,)=;]|\bas\s+(?:any|unknown|number|tf\.[A-Z]\w*|[A-Z]\w*)\b/m;

const PYTHON_MESSAGE =
  'the answer is Python (PyTorch/Keras); answer in JavaScript with the TensorFlow.js layers API instead: ' +
  'one ```javascript block defining function buildModel(tf, inputShape, numClasses) that builds the network with ' +
  'tf.sequential()/tf.layers.* or tf.input/tf.model and returns the model';

/** Fenced blocks (``` or ~~~, any info string); an unclosed last fence runs to the end of the answer. */
function fencedBlocks(answer: string): Block[] {
  const blocks: Block[] = [];
  const open = /^[ \t]*(`{3,}|~{3,})[ \t]*([^\n`]*)\n/gm;
  let m: RegExpExecArray | null;
  while ((m = open.exec(answer)) !== null) {
    const fence = m[1] as string;
    const start = m.index + m[0].length;
    const close = new RegExp(`^[ \\t]*${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`, 'm');
    const rest = answer.slice(start);
    const c = close.exec(rest);
    const body = c === null ? rest : rest.slice(0, c.index);
    blocks.push({ lang: (m[2] ?? '').trim().split(/[\s{]/)[0]?.toLowerCase() ?? '', body });
    open.lastIndex = c === null ? answer.length : start + c.index + c[0].length;
  }
  return blocks;
}

/** An answer with no fences: keep the lines from the first code-looking line to the last closing one. */
function unfencedCode(answer: string): string | null {
  if (!DEFINES_BUILD_MODEL.test(answer) && !/\btf\.(?:sequential|layers|model|input)\b/.test(answer)) return null;
  const lines = answer.split('\n');
  const codeStart = /^\s*(?:(?:export\s+)?(?:async\s+)?function\b|const\b|let\b|var\b|import\b|export\b|\/\/|\/\*|['"]use strict['"]|class\b)/;
  const first = lines.findIndex((l) => codeStart.test(l));
  if (first < 0) return null;
  let last = lines.length - 1;
  while (last > first && !/[};)]\s*(?:\/\/.*)?$/.test(lines[last] as string)) last -= 1;
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
    if (/^\s*(?:module\.)?exports(?:\.\w+)?\s*=\s*[\w{}\s,:]*;?\s*$/.test(line)) {
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
