import { describe, expect, it } from 'vitest';
import { itemSize, numberSize, readUnits, writeUnits } from './dynamodb-units.ts';

describe('DynamoDB item sizes', () => {
  it('counts attribute names and UTF-8 string bytes', () => {
    // "pk" 2 + "DELIVERY#e1" 11, "sk" 2 + "slack" 5, "note" 4 + "é" 2
    expect(itemSize({ pk: { S: 'DELIVERY#e1' }, sk: { S: 'slack' }, note: { S: 'é' } })).toBe(26);
  });

  it('counts a number by its significant digits: one byte per two, plus one', () => {
    expect(numberSize('0')).toBe(2);
    expect(numberSize('7')).toBe(2);
    expect(numberSize('1765432100000')).toBe(5); // 1765 4321 → 8 significant digits
    expect(numberSize('-12.340')).toBe(3); // 1234: 2 + 1
  });

  it('counts binary, booleans, null, sets, lists and maps', () => {
    expect(itemSize({ b: { B: Buffer.from('abcd').toString('base64') } })).toBe(1 + 4);
    expect(itemSize({ t: { BOOL: true }, n: { NULL: true } })).toBe(2 + 2);
    expect(itemSize({ s: { SS: ['ab', 'c'] } })).toBe(1 + 3);
    // a list: 3 bytes, then 1 per element and the element
    expect(itemSize({ l: { L: [{ S: 'ab' }, { N: '1' }] } })).toBe(1 + 3 + (1 + 2) + (1 + 2));
    expect(itemSize({ m: { M: { k: { S: 'v' } } } })).toBe(1 + 3 + (1 + 1 + 1));
  });
});

describe('request units', () => {
  it('charges a write one unit per 1 KB of the larger item, at least one', () => {
    expect(writeUnits(0)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2); // an item just over 1 KB costs 2
    expect(writeUnits(500, 3000)).toBe(3);
  });

  it('charges a strongly consistent read one unit per 4 KB, an eventual one half', () => {
    expect(readUnits(0, true)).toBe(1);
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(4097, true)).toBe(2);
    expect(readUnits(4097, false)).toBe(1);
    expect(readUnits(100, false)).toBe(0.5);
  });
});
