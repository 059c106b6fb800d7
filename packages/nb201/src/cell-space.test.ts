import { describe, expect, it } from 'vitest';
import { Rng } from '@nasfleet/contracts';
import {
  CELL_COUNT, cellFromKey, cellKey, EDGES, edgeIndex, edgeLabel, extractCell, formatArchString, formatOpCode, hammingDistance,
  isConnected, neighbours, OP, opCodeOf, parseArchString, parseCell, parseOpCode, sampleCell, withEdge,
} from './cell-space.ts';
import type { Cell } from './cell-space.ts';
import { CellParseError } from './errors.ts';

/** A cell's op codes as a mutable array (to show that a parsed cell is the caller's own). */
type OpCodeArray = number[];

const RESNET = '|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|';

describe('arch strings and op codes', () => {
  it('parses the ResNet-like cell in edge order 0->1, 0->2, 1->2, 0->3, 1->3, 2->3', () => {
    expect(parseArchString(RESNET)).toEqual([3, 0, 3, 1, 0, 1]);
    expect(formatOpCode(parseArchString(RESNET))).toBe('303101');
    expect(EDGES.map((_, i) => edgeLabel(i))).toEqual(['0->1', '0->2', '1->2', '0->3', '1->3', '2->3']);
    expect(edgeIndex(1, 3)).toBe(4);
    expect(edgeIndex(3, 1)).toBeUndefined();
  });

  it('round-trips every cell through arch string, op code and key', () => {
    for (let key = 0; key < CELL_COUNT; key += 97) {
      const cell = cellFromKey(key);
      expect(cellKey(cell)).toBe(key);
      expect(parseArchString(formatArchString(cell))).toEqual(cell);
      expect(parseOpCode(formatOpCode(cell))).toEqual(cell);
    }
    expect(formatArchString(parseArchString(`  ${RESNET}\n`))).toBe(RESNET);
  });

  it('remembers the strings it formatted and parsed, and still hands out a fresh cell each time and checks what it formats', () => {
    const text = formatArchString([2, 1, 0, 3, 4, 1]);
    const first = parseArchString(text) as OpCodeArray;
    first[0] = 4;
    expect(parseArchString(text)).toEqual([2, 1, 0, 3, 4, 1]);
    expect(parseArchString(` ${text} `)).toEqual([2, 1, 0, 3, 4, 1]);
    expect(() => formatArchString([3, 0, 3, 1, 0, 7] as unknown as Cell)).toThrow(CellParseError);
    expect(() => formatArchString([3, 0, 3] as unknown as Cell)).toThrow(CellParseError);
    // A near miss of a remembered string is parsed strictly, not looked up.
    expect(() => parseArchString(text.replace('~1|', '~2|'))).toThrow(/must come from node/);
  });

  it.each([
    ['', /start and end with '\|'/],
    ['|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|', /3 node groups.*found 2/],
    ['|nor_conv_3x3~0|+|none~0|+|skip_connect~0|none~1|skip_connect~2|', /node 2 must have 2 input edge\(s\).*found 1/],
    ['|conv3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|', /unknown op 'conv3x3' on edge 0->1/],
    ['|nor_conv_3x3~0|+|none~0|nor_conv_3x3~2|+|skip_connect~0|none~1|skip_connect~2|', /input 2 of node 2 must come from node 1/],
    ['|nor_conv_3x3|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|', /must look like op~0/],
  ])('rejects %j with a message that says what is wrong', (text, why) => {
    expect(() => parseArchString(text)).toThrow(CellParseError);
    expect(() => parseArchString(text)).toThrow(why);
  });

  it('rejects malformed op codes', () => {
    for (const bad of ['30310', '3031011', '303105', 'abcdef']) expect(() => parseOpCode(bad)).toThrow(/6 digits 0-4/);
    expect(parseCell('303101')).toEqual([3, 0, 3, 1, 0, 1]);
    expect(parseCell(RESNET)).toEqual([3, 0, 3, 1, 0, 1]);
    expect(opCodeOf('avg_pool_3x3')).toBe(4);
    expect(opCodeOf('maxpool')).toBeUndefined();
  });
});

describe('extractCell', () => {
  it('finds a cell inside prose, fences and JSON, preferring the fenced and the last one', () => {
    expect(extractCell(`Sure! Here is the cell: ${RESNET} which should do well.`)).toEqual([3, 0, 3, 1, 0, 1]);
    const parent = '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|';
    expect(extractCell(`The parent was ${parent}.\n\`\`\`\n${RESNET}\n\`\`\`\nI changed two edges.`)).toEqual([3, 0, 3, 1, 0, 1]);
    expect(extractCell(`I went from ${parent} to ${RESNET}`)).toEqual([3, 0, 3, 1, 0, 1]);
    expect(extractCell(`{"cell": "${RESNET}"}`)).toEqual([3, 0, 3, 1, 0, 1]);
    expect(extractCell('op code: 303101')).toEqual([3, 0, 3, 1, 0, 1]);
    expect(extractCell('|nor_conv_3x3~0| + |none~0|nor_conv_3x3~1| + |skip_connect~0|none~1|skip_connect~2|')).toEqual([3, 0, 3, 1, 0, 1]);
  });

  it('reads an answer that is just a remembered arch string as that cell, a fresh one each time', () => {
    const text = formatArchString([4, 4, 1, 0, 2, 3]);
    const first = extractCell(`\n ${text}\n`) as OpCodeArray;
    first[5] = 0;
    expect(extractCell(text)).toEqual([4, 4, 1, 0, 2, 3]);
    // Around prose or fences the answer is scanned as before: the last cell wins.
    expect(extractCell(`${text} or rather ${RESNET}`)).toEqual([3, 0, 3, 1, 0, 1]);
  });

  it('explains what is missing when no cell is there', () => {
    expect(() => extractCell('I think a deeper network would help.')).toThrow(/no NB201 cell found/);
    expect(() => extractCell('```\n|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|\n```')).toThrow(/unknown op 'conv'/);
  });
});

describe('cell operations', () => {
  it('samples uniformly over ops and reproducibly for a seed', () => {
    const rng = Rng.fromSeed(1);
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 2000; i++) sampleCell(rng).forEach((op) => counts[op]!++);
    for (const c of counts) expect(c).toBeGreaterThan(12000 / 5 * 0.9);
    expect(sampleCell(Rng.fromSeed(7))).toEqual(sampleCell(Rng.fromSeed(7)));
  });

  it('lists the 24 distinct one-edit neighbours', () => {
    const cell: Cell = [3, 0, 3, 1, 0, 1];
    const ns = neighbours(cell);
    expect(ns).toHaveLength(24);
    expect(new Set(ns.map(cellKey)).size).toBe(24);
    for (const n of ns) expect(hammingDistance(cell, n)).toBe(1);
  });

  it('tells whether the output is connected through non-none ops', () => {
    expect(isConnected([3, 0, 3, 1, 0, 1])).toBe(true);
    expect(isConnected([0, 0, 0, 0, 0, 0])).toBe(false);
    expect(isConnected([3, 0, 0, 0, 0, 1])).toBe(false); // 0->1 but node 2 is never reached
    expect(isConnected([3, 0, 3, 0, 0, 1])).toBe(true); // 0->1->2->3
    expect(isConnected(withEdge([0, 0, 0, 0, 0, 0], 3, OP.avgPool))).toBe(true);
  });
});
