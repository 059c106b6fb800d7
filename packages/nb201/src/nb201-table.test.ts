import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Nb201TableError } from './errors.ts';
import { DEFAULT_NB201_TABLE_PATH, loadNb201Table, NB201_COLUMNS, parseNb201Csv } from './nb201-table.ts';

const table = loadNb201Table();
const RESNET = '|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|';

describe('loadNb201Table (the shipped copy)', () => {
  it('holds the whole space in NB201 index order', () => {
    expect(table.size).toBe(15625);
    expect(table.archAt(0)).toBe('|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|');
    expect(table.indexOf(table.archAt(1234))).toBe(1234);
  });

  it('matches the README: the CIFAR-10 optimum is index 6111', () => {
    expect(table.value(6111, 'cifar10', 'test200')).toBeCloseTo(94.3733, 4);
    expect(table.best('cifar10', 'val200')).toEqual({ index: 6111, value: expect.closeTo(91.6067, 4) });
    expect(table.best('cifar10', 'test200').value).toBeCloseTo(94.3733, 4);
  });

  it('matches the README: the ResNet-like cell is index 11472', () => {
    const i = table.indexOf(RESNET);
    expect(i).toBe(11472);
    expect(table.indexOf('303101')).toBe(11472);
    expect(table.indexOf([3, 0, 3, 1, 0, 1])).toBe(11472);
    expect(table.value(i, 'cifar10', 'val200')).toBeCloseTo(90.86, 2);
    expect(table.value(i, 'cifar10', 'test200')).toBeCloseTo(93.91, 2);
    expect(table.value(i, 'cifar100', 'val200')).toBeCloseTo(70.5, 2);
    expect(table.value(i, 'cifar100', 'test200')).toBeCloseTo(70.89, 2);
    expect(table.value(i, 'imagenet16-120', 'val200')).toBeCloseTo(44.1, 2);
    expect(table.value(i, 'imagenet16-120', 'test200')).toBeCloseTo(44.233, 3);
    expect(table.value(i, 'cifar10', 'params')).toBe(0.559386);
    expect(table.value(i, 'cifar10', 'flops')).toBe(78.56193);
    expect(table.row(i)).toMatchObject({ arch_str: RESNET, op_code: '303101', c10_rank_200: 69 });
  });

  it('matches the README optima for CIFAR-100 (9930) and ImageNet16-120 (857)', () => {
    expect(table.best('cifar100', 'val200')).toEqual({ index: 9930, value: expect.closeTo(73.4933, 4) });
    expect(table.best('cifar100', 'test200')).toEqual({ index: 9930, value: expect.closeTo(73.5133, 4) });
    expect(table.best('imagenet16-120', 'test200')).toEqual({ index: 857, value: expect.closeTo(47.3111, 4) });
    expect(table.best('imagenet16-120', 'val200').value).toBeCloseTo(46.7333, 4);
  });

  it('ranks with ties sharing the best rank, and top fractions include the boundary ties', () => {
    const ranks = table.ranks('cifar10', 'test200');
    expect(ranks[6111]).toBe(1);
    const col = table.column('cifar10', 'test200');
    const tied = [...col.keys()].filter((i) => col[i] === col[6111]);
    expect(tied.length).toBeGreaterThan(1); // the README notes two archs at 94.3733
    for (const i of tied) expect(ranks[i]).toBe(1);
    const top = table.topFraction('cifar10', 'val200', 0.001);
    expect(top.k).toBe(16);
    expect(top.indices.has(6111)).toBe(true);
    const val = table.column('cifar10', 'val200');
    const above = [...val.keys()].filter((i) => val[i]! >= top.threshold);
    expect(new Set(above)).toEqual(top.indices);
    expect(top.indices.size).toBeGreaterThanOrEqual(16);
    const cheapest = table.topFraction('cifar10', 'flops', 1 / 15625, 'asc');
    expect(cheapest.threshold).toBe(table.best('cifar10', 'flops', 'asc').value);
    expect(() => table.topFraction('cifar10', 'val200', 0)).toThrow(RangeError);
  });

  it('rejects unknown cells and bad indices', () => {
    expect(() => table.indexOf('30310x')).toThrow(/op code|arch string/);
    expect(() => table.value(15625, 'cifar10', 'val200')).toThrow(RangeError);
  });
});

describe('parseNb201Csv checks', () => {
  const lines = readFileSync(DEFAULT_NB201_TABLE_PATH, 'utf8').split('\n').slice(0, 4);
  const csv = (rows: string[]) => rows.join('\n') + '\n';

  it('reads a small valid file when told its row count', () => {
    const t = parseNb201Csv(csv(lines), 'small.csv', { expectedRows: 3 });
    expect(t.size).toBe(3);
    expect(t.value(1, 'cifar10', 'test200')).toBeCloseTo(93.66, 2);
  });

  it('names the file, line and problem', () => {
    expect(() => parseNb201Csv(csv(lines), 'small.csv')).toThrow(/small\.csv:4: expected 15625 data rows, found 3/);
    expect(() => parseNb201Csv(csv([lines[0]!.replace('c10_val_200', 'c10_val'), ...lines.slice(1)]), 'h.csv', { expectedRows: 3 })).toThrow(
      /h\.csv:1: unexpected header: column 4 should be 'c10_val_200', found 'c10_val'/,
    );
    const badNum = lines[2]!.split(',');
    badNum[5] = 'abc';
    expect(() => parseNb201Csv(csv([lines[0]!, lines[1]!, badNum.join(','), lines[3]!]), 'n.csv', { expectedRows: 3 })).toThrow(
      new Nb201TableError(`n.csv:3: column ${NB201_COLUMNS[5]} is not a finite number: 'abc'`),
    );
    const badCode = lines[1]!.replace(',421211,', ',421210,');
    expect(() => parseNb201Csv(csv([lines[0]!, badCode]), 'c.csv', { expectedRows: 1 })).toThrow(/c\.csv:2: op_code '421210' does not match/);
    expect(() => parseNb201Csv(csv([lines[0]!, lines[2]!]), 'o.csv', { expectedRows: 1 })).toThrow(/o\.csv:2: index should be 0/);
    expect(() => parseNb201Csv(csv([lines[0]!, lines[1]!.replace('avg_pool_3x3~0', 'pool~0')]), 'a.csv', { expectedRows: 1 })).toThrow(/a\.csv:2: arch_str: .*unknown op 'pool'/);
    expect(() => parseNb201Csv(csv([lines[0]!, lines[1]!, lines[1]!.replace(/^0,/, '1,')]), 'd.csv', { expectedRows: 2 })).toThrow(/d\.csv:3: duplicate arch_str/);
  });

  it('wraps a missing file in a table error naming the path', () => {
    expect(() => loadNb201Table('/nonexistent/nb201.csv')).toThrow(/\/nonexistent\/nb201\.csv: cannot read/);
  });
});
