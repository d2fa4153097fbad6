import { describe, expect, it } from 'vitest';
import { readInput } from '@spend-alerts/core';
import { readFixture } from '../fixtures/load.ts';

/**
 * An amount that cannot be read is reported in `diagnostics`, and never makes an alert look
 * smaller than the figures that can be read say it is.
 */

const ANOMALY = JSON.parse(readFixture('anomaly/sns-current-docs-sample.json')) as {
  impact: Record<string, unknown>;
  rootCauses: Array<Record<string, unknown>>;
};
const one = (input: unknown) => readInput(input).events[0]!;
const anomalyWith = (impact: Record<string, unknown>, rootCauses = ANOMALY.rootCauses) =>
  one(JSON.stringify({ ...ANOMALY, impact: { ...ANOMALY.impact, ...impact }, rootCauses }));

// JSON has no Infinity: `1e309` is how a message would carry one, and JSON.parse reads it so.
const UNREADABLE: Array<[string, string]> = [
  ['1e309', '1e309'],
  ['"NaN"', '"NaN"'],
  ['{}', '{}'],
  ['null', 'null'],
  ['"five thousand"', '"five thousand"'],
  ['[]', '[]'],
];

describe('unreadable anomaly amounts', () => {
  it.each(UNREADABLE)('totalImpact %s is a diagnostic, and the other figures keep the severity', (_label, json) => {
    const raw = readFixture('anomaly/sns-current-docs-sample.json').replace(
      '"totalImpact": 1001',
      `"totalImpact": ${json}`,
    );
    const event = one(raw);
    expect(event.kind).toBe('anomaly');
    expect(event.diagnostics.join('\n')).toMatch(/impact\.totalImpact not readable/);
    // Actual $1,301 against $300 expected: $1,001 above, critical, as the total would have said.
    expect(event.severity).toBe('critical');
    expect(event.title).toContain('$1,001.00');
  });

  it('a $5,000 anomaly whose total cannot be read is not rated from its $151 maximum', () => {
    const event = anomalyWith({ totalImpact: 'NaN', maxImpact: 151, totalActualSpend: 5300, totalExpectedSpend: 300 }, [
      { service: 'Amazon EC2', impact: { contribution: 5000 } },
    ]);
    expect(event.severity).toBe('critical');
    expect(event.diagnostics).toEqual([expect.stringMatching(/totalImpact not readable: "NaN"/)]);
  });

  it('when no figure can be read the alert is at least a warning, never info', () => {
    const event = anomalyWith({ totalImpact: null, maxImpact: {}, totalActualSpend: 'x', totalExpectedSpend: 'y' }, [
      { service: 'Amazon EC2', impact: { contribution: 'NaN' } },
    ]);
    expect(event.severity).toBe('warning');
    expect(event.diagnostics).toHaveLength(5);
    expect(event.diagnostics.join('\n')).toMatch(/rootCauses\[0\]\.impact\.contribution not readable/);
  });

  it.each([
    ['totalImpact', -5000],
    ['maxImpact', -5000],
    ['totalImpact', '-5000'],
  ])('a negative %s (%s) is refused with a diagnostic, never shown as a negative impact', (key, value) => {
    const event = anomalyWith({ [key]: value });
    expect(event.title).not.toMatch(/-\$/);
    expect(event.summary).not.toMatch(/-\$/);
    expect(event.diagnostics.join('\n')).toMatch(new RegExp(`impact\\.${key} is negative`));
    expect(event.kind === 'anomaly' && event.anomaly.impact[key === 'totalImpact' ? 'total' : 'max']).toBe(null);
  });

  it('older messages without some figures have no diagnostics and keep their severity', () => {
    const event = one(readFixture('anomaly/sns-older-date-only-2021.json'));
    expect(event.diagnostics).toEqual([]);
    const full = one(readFixture('anomaly/sns-current-docs-sample.json'));
    expect(full.diagnostics).toEqual([]);
    expect(full.severity).toBe('critical');
  });
});

describe('a $0 budget', () => {
  const zero = readFixture('budgets/cost-monthly-actual-costmanagement-link.txt').replace(
    'Budgeted Amount: $50.00',
    'Budgeted Amount: $0.00',
  );

  it('with actual spend is critical: any spend is over it', () => {
    const event = one(zero);
    expect(event.kind === 'budget' && event.budget.limit?.amount).toBe(0);
    expect(event.severity).toBe('critical');
  });

  it('with no spend yet stays a warning, and a forecast over it is a warning', () => {
    expect(one(zero.replace('ACTUAL Amount: $18.86', 'ACTUAL Amount: $0.00')).severity).toBe('warning');
    const forecast = readFixture('budgets/cost-monthly-forecasted-costmanagement-link.txt').replace(
      /Budgeted Amount: \$[0-9.,]+/,
      'Budgeted Amount: $0.00',
    );
    expect(one(forecast).severity).toBe('warning');
  });
});
