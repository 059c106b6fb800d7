import { describe, expect, it } from 'vitest';
import * as dashboard from './index.ts';

describe('dashboard package', () => {
  it('loads', () => {
    expect(typeof dashboard).toBe('object');
  });
});
