/**
 * Benchmark (not a test): time of `extractCode` on adversarial answers of 200 KB and 1 MB, the inputs
 * that made its patterns backtrack quadratically before they were bounded (a 200 KB answer took 8 s,
 * a 1 MB one 159 s). Linear scanning shows a 1 MB/200 KB ratio near 5; quadratic, near 25.
 *
 *   npx tsx bench/extract-code.ts
 */
import { extractCode } from '@nasfleet/sandbox';

const FN = 'function buildModel(tf, inputShape, numClasses) {\n  return tf.sequential();\n}';
const ANSWERS: Record<string, (n: number) => string> = {
  'blank lines in the code': (n) => `\`\`\`javascript\n${FN}\n${'\n'.repeat(n)}\`\`\``,
  '"):a<" runs in the code': (n) => `\`\`\`javascript\n${FN}\n//${'):a<'.repeat(n / 4)}\n\`\`\``,
  'blank lines around prose': (n) => `I cannot help.${' \n'.repeat(n / 2)}Sorry.`,
  '"function" then spaces': (n) => `\`\`\`js\nfunction${' '.repeat(n)}x\n\`\`\``,
  'an exports line of spaces': (n) => `\`\`\`js\n${FN}\nexports =${' '.repeat(n)}!\n\`\`\``,
  'many fences': (n) => '```js\nx\n```\n'.repeat(n / 14),
};

function timeMs(answer: string): number {
  const runs = 3;
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    extractCode(answer);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

console.log('answer                      200 KB ms    1 MB ms   ratio (linear ~5)');
for (const [name, make] of Object.entries(ANSWERS)) {
  const small = timeMs(make(200 * 1024));
  const large = timeMs(make(1024 * 1024));
  console.log(`${name.padEnd(26)} ${small.toFixed(1).padStart(9)} ${large.toFixed(1).padStart(10)} ${(large / small).toFixed(1).padStart(8)}`);
}
