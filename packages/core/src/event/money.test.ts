import { describe, expect, it } from 'vitest';
import { parseMoney, parseNumber } from './money.ts';

describe('parseMoney', () => {
  it.each([
    ['$0.80', { amount: 0.8, currency: 'USD' }],
    ['$1,234,567.89', { amount: 1234567.89, currency: 'USD' }],
    [' $100 ', { amount: 100, currency: 'USD' }],
    ['-$3.10', { amount: -3.1, currency: 'USD' }],
    ['$-3.10', { amount: -3.1, currency: 'USD' }],
    ['USD 12.00', { amount: 12, currency: 'USD' }],
    ['12.5 EUR', { amount: 12.5, currency: 'EUR' }],
    ['€9.99', { amount: 9.99, currency: 'EUR' }],
    ['$.50', { amount: 0.5, currency: 'USD' }],
  ])('reads %j', (text, expected) => {
    expect(parseMoney(text)).toEqual(expected);
  });

  it.each(['', '100', '100 GB', '$', 'abc', '$1.2.3', '80%'])('refuses %j', (text) => {
    expect(parseMoney(text)).toBeNull();
  });

  it('rounds to cents so sums do not drift', () => {
    expect(parseMoney('$0.105')?.amount).toBe(0.11);
  });
});

describe('parseNumber', () => {
  it.each([
    ['1,234.5', 1234.5],
    ['-2', -2],
    ['1e3', 1000],
    ['.5', 0.5],
  ])('reads %j', (text, expected) => expect(parseNumber(text)).toBe(expected));

  it.each(['', 'x', '1.2.3', 'NaN', 'Infinity'])('refuses %j', (text) => expect(parseNumber(text)).toBeNull());
});
