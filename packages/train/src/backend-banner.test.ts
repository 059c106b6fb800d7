import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { selectBackend } from './backend.ts';

const BANNER = /looks like you are running TensorFlow\.js in Node\.js/;

/** Captures what console.log / info / warn / error print (and keeps it off the test output). */
function captureConsole(): () => string {
  const spies = (['log', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => undefined));
  return () => spies.flatMap((s) => s.mock.calls.map((args) => args.join(' '))).join('\n');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('tfjs "install our node backend" banner', () => {
  // Runs in its own process (vitest forks), so the cpu backend is first created here.
  it('is not printed by backend selection or by later use of the cpu backend; a cpu backend used without it prints it', async () => {
    const printed = captureConsole();
    const cpu = await selectBackend({ prefer: 'cpu' });
    expect(cpu.kind).toBe('cpu');
    tf.tidy(() => tf.add(tf.tensor([1, 2]), 1).dataSync());
    await selectBackend({ prefer: 'wasm' });
    await tf.setBackend('cpu'); // as the tests' reference computations do
    tf.tidy(() => tf.mul(tf.tensor([3, 4]), 2).dataSync());
    expect(printed()).not.toMatch(BANNER);

    // Control: after an engine reset the next cpu backend is a fresh instance; used without
    // going through selectBackend, it prints the banner, and this capture sees it.
    tf.engine().reset();
    await tf.setBackend('cpu');
    tf.tidy(() => tf.tensor([5]).dataSync());
    expect(printed()).toMatch(BANNER);
  });
});
