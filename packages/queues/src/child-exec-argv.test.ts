import { describe, expect, it } from 'vitest';
import { childExecArgv } from './child-exec-argv.ts';

/** The flags a sandboxed child gets: the parent's loader, its own heap limit, no debugger port clash. */

describe('childExecArgv', () => {
  it("keeps the parent's tsx loader (node --import tsx, or the tsx command's own flags) and adds nothing for it", () => {
    expect(childExecArgv(['--import', 'tsx'], { processorFile: '/a/p.ts' })).toEqual(['--import', 'tsx']);
    const tsxCommand = ['--require', '/r/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///r/node_modules/tsx/dist/loader.mjs'];
    expect(childExecArgv(tsxCommand, { processorFile: '/a/p.ts' })).toEqual(tsxCommand);
  });

  it('adds --import tsx for a .ts processor when the parent has no tsx flag (a test runner), and not for a .js one', () => {
    expect(childExecArgv(['--conditions', 'dev'], { processorFile: '/a/p.ts' })).toEqual(['--conditions', 'dev', '--import', 'tsx']);
    expect(childExecArgv([], { processorFile: '/a/p.mts' })).toEqual(['--import', 'tsx']);
    expect(childExecArgv([], { processorFile: '/a/p.js' })).toEqual([]);
  });

  it("replaces the parent's heap limit (either spelling) with the child's, and drops --inspect flags", () => {
    const parent = ['--max-old-space-size=8192', '--inspect=9229', '--import', 'tsx', '--max-old-space-size', '100', '--inspect-brk'];
    expect(childExecArgv(parent, { processorFile: '/a/p.ts', memoryMb: 512 })).toEqual(['--import', 'tsx', '--max-old-space-size=512']);
  });
});
