import { describe, expect, it } from 'vitest';
import { completeCodeBlock, completeJsonObject } from './stop-predicates.ts';

describe('completeCodeBlock', () => {
  it('is false until a fenced block is opened and closed', () => {
    const full = 'Here you go:\n```javascript\nfunction f() {\n  return 1;\n}\n```\nIt works because';
    const firstTrue = [...full].findIndex((_, i) => completeCodeBlock(full.slice(0, i + 1)));
    expect(full.slice(0, firstTrue + 1)).toBe('Here you go:\n```javascript\nfunction f() {\n  return 1;\n}\n```');
  });

  it('needs a closing fence at least as long as the opener, alone on its line', () => {
    expect(completeCodeBlock('````md\n```js\nx\n```\n')).toBe(false); // the inner fence is content
    expect(completeCodeBlock('````md\n```js\nx\n```\n````')).toBe(true);
    expect(completeCodeBlock('```js\nconst s = "```";\n``` not a fence\n')).toBe(false);
    expect(completeCodeBlock('```js\nx\n   ```  \n')).toBe(true);
    expect(completeCodeBlock('```js\r\nx\r\n```\r\n')).toBe(true);
  });

  it('ignores inline backticks and prose without fences', () => {
    expect(completeCodeBlock('use ```inline``` code and `x`')).toBe(false);
    expect(completeCodeBlock('no code at all')).toBe(false);
    expect(completeCodeBlock('```')).toBe(false);
    expect(completeCodeBlock('```python\nprint(1)\n``')).toBe(false);
  });
});

describe('completeJsonObject', () => {
  it('is true once a balanced top-level object has arrived', () => {
    const full = 'Sure: {"op": "widen", "args": {"layer": 2, "by": [1, 2]}} and more text';
    const firstTrue = [...full].findIndex((_, i) => completeJsonObject(full.slice(0, i + 1)));
    expect(full.slice(0, firstTrue + 1)).toBe('Sure: {"op": "widen", "args": {"layer": 2, "by": [1, 2]}}');
  });

  it('does not count braces inside strings, escapes respected', () => {
    expect(completeJsonObject('{"a": "}"')).toBe(false);
    expect(completeJsonObject('{"a": "\\"}"')).toBe(false);
    expect(completeJsonObject('{"a": "\\\\"}')).toBe(true);
    expect(completeJsonObject('{"a": "{{{"}')).toBe(true);
  });

  it('is false with no object or an unfinished one, and ignores a ```json fence before it', () => {
    expect(completeJsonObject('no json')).toBe(false);
    expect(completeJsonObject('{"a": [1, {"b": 2}')).toBe(false);
    expect(completeJsonObject('```json\n{"a": 1}')).toBe(true);
  });
});
