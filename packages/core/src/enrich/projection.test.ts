import { describe, expect, it } from 'vitest';
import { daysInMonth, projectMonthEnd } from './projection.ts';

describe('projectMonthEnd', () => {
  it('adds the last week’s mean for each day left to what is spent', () => {
    // 10 days: 5 at 10, then 5 at 20; the last 7 average (2×10 + 5×20)/7
    const daily = [10, 10, 10, 10, 10, 20, 20, 20, 20, 20];
    const mean = (2 * 10 + 5 * 20) / 7;
    const p = projectMonthEnd(daily, 30)!;
    expect(p.total).toBeCloseTo(150 + mean * 20, 2);
    expect(p.lower!).toBeLessThan(p.total);
    expect(p.upper!).toBeGreaterThan(p.total);
  });

  it('gives no spread to a steady bill, and no interval before three days', () => {
    expect(projectMonthEnd([10, 10, 10], 30)).toEqual({ total: 300, lower: 300, upper: 300 });
    expect(projectMonthEnd([10, 12], 30)).toEqual({ total: 22 + 11 * 28, lower: null, upper: null });
  });

  it('never puts the lower bound under what is already spent', () => {
    const p = projectMonthEnd([0, 0, 0, 0, 0, 0, 300], 8)!;
    expect(p.lower).toBe(300);
  });

  it('has nothing to say before the first day or once the month is over', () => {
    expect(projectMonthEnd([], 30)).toBeNull();
    expect(projectMonthEnd(Array(30).fill(1), 30)).toBeNull();
  });

  it('knows the length of months', () => {
    expect([daysInMonth('2024-02-10'), daysInMonth('2025-02-01'), daysInMonth('2026-12-31')]).toEqual([29, 28, 31]);
  });
});
