#!/usr/bin/env node
// Sums the vitest JSON reports every package writes (.test-results.json) into one closing line,
// "N passed, N failed", which CI reads, after the name and first lines of each failure (CI keeps only
// the tail of its log, so a failure deep in one package's output would otherwise go unseen).
// Exits 1 if a package that has tests wrote no report.
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
const failures = [];
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
  for (const file of r.testResults ?? []) {
    const where = file.name.startsWith(root) ? file.name.slice(root.length) : file.name;
    const failedTests = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of failedTests) failures.push({ where, name: a.fullName, why: a.failureMessages ?? [] });
    // A file that fails outside any test (a throw at import, a hook) has no failed assertion to name.
    if (file.status === 'failed' && failedTests.length === 0)
      failures.push({ where, name: '(the file itself)', why: [file.message ?? ''] });
  }
}
for (const f of failures) {
  console.log(`FAILED ${f.where} > ${f.name}`);
  // The message's head says what failed; a long one (a test that appends its processes' logs) ends with what they did last.
  const lines = f.why.join('\n').split('\n').filter((l) => l.trim() !== '').map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
  const shown = lines.length <= 40 ? lines : [...lines.slice(0, 10), `... ${lines.length - 40} lines left out ...`, ...lines.slice(-30)];
  for (const line of shown) console.log(`    ${line}`);
}
for (const dir of missing) console.log(`no test report from ${dir.slice(root.length)}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(missing.length || failed ? 1 : 0);
