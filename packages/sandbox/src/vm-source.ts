import { readFileSync } from 'node:fs';

/** Reads one of the in-VM sources that live next to this file under vm/ (plain JS, never imported by Node). */
function vmFile(name: string): string {
  return readFileSync(new URL(`./vm/${name}`, import.meta.url), 'utf8');
}

/**
 * The JavaScript evaluated inside QuickJS before the answer's code: it evaluates to the `run(code, h, w,
 * c, numClasses)` function that returns the report JSON string. Built once per process.
 */
export const VM_PRELUDE: string = [
  '(function () {',
  `const P = ${vmFile('primordials.js')};`,
  `const O = (${vmFile('layer-options.js')})(P);`,
  `const L = (${vmFile('layer-specs.js')})(P, O);`,
  `const createStandIn = (${vmFile('stand-in.js')})(P, L);`,
  `return (${vmFile('driver.js')})(P, L, createStandIn);`,
  '})()',
].join('\n');
