#!/usr/bin/env node
// Sums the vitest JSON reports every package writes (.test-results.json) into one closing line,
// "N passed, N failed", which CI reads. Exits 1 if a package that has tests wrote no report.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = ['packages', 'apps'].flatMap((top) =>
  existsSync(join(root, top)) ? readdirSync(join(root, top)).map((d) => join(root, top, d)) : [],
);
dirs.push(join(root, 'test'), join(root, 'test-fleet'));
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const dir of dirs) {
  const report = join(dir, '.test-results.json');
  if (!existsSync(join(dir, 'package.json'))) continue;
  if (!existsSync(report)) {
    missing.push(dir);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
}
for (const dir of missing) console.log(`no test report from ${dir.slice(root.length)}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(missing.length || failed ? 1 : 0);
