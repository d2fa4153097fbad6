/**
 * The simulation counts money in integer cents, so that sums over days, accounts and services are
 * exact and every view of them (Cost Explorer strings, Budgets text, alarm datapoints) agrees.
 */

/** Whole dollars (or dollars and cents) to cents, e.g. a budget limit of 12000 → 1_200_000. */
export function toCents(usd: number): number {
  return Math.round(usd * 100);
}

/** Cents as the number AWS's JSON messages carry: 123456 → 1234.56. */
export function centsToNumber(cents: number): number {
  return cents / 100;
}

/** Cents as Cost Explorer's `Amount` string: 123456 → "1234.56". */
export function centsToAmount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Cents as Budgets prints them: 1234567 → "$12,345.67". */
export function formatUsd(cents: number): string {
  const [whole, frac] = centsToAmount(Math.abs(cents)).split('.') as [string, string];
  return `${cents < 0 ? '-' : ''}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/**
 * Reads a Cost Explorer amount string back into cents, exactly (no float rounding on the way).
 * @example amountToCents('1234.5') // 123450
 */
export function amountToCents(amount: string): number {
  const m = /^(-)?(\d+)(?:\.(\d*))?$/.exec(amount.trim());
  if (!m) throw new RangeError(`not an amount: ${JSON.stringify(amount)}`);
  const frac = (m[3] ?? '').padEnd(3, '0');
  const cents = Number(m[2]) * 100 + Number(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1 : 0);
  return m[1] ? -cents : cents;
}
