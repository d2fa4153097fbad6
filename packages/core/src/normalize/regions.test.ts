import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arnField, regionCode } from './regions.ts';

describe('regionCode', () => {
  it.each([
    ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:x', null, 'us-east-1'],
    [null, 'US East (N. Virginia)', 'us-east-1'],
    [null, 'Europe (Frankfurt)', 'eu-central-1'],
    ['arn:aws:cloudwatch', 'eu-west-1', 'eu-west-1'],
    [null, 'Atlantis', null],
  ])('%s / %s → %s', (arn, name, expected) => {
    expect(regionCode(arn, name)).toBe(expected);
  });
});

describe('arnField', () => {
  it('reads a field as split does', () => {
    const text = fc.string({ unit: fc.constantFrom(':', 'a', '1', '-'), maxLength: 24 });
    fc.assert(
      fc.property(text, fc.nat(7), (arn, i) => {
        expect(arnField(arn, i)).toBe(arn.split(':')[i]);
      }),
      { numRuns: 2000 },
    );
  });
});
