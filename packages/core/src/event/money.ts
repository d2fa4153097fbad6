/**
 * An amount of money with its ISO 4217 currency code, e.g. `{ amount: 1234.5, currency: 'USD' }`.
 * Its schema (`MoneySchema`) is in `schema.ts`, so that reading and formatting amounts builds no schema.
 */
export interface Money {
  amount: number;
  currency: string;
}

const SYMBOLS: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₹': 'INR' };

/** Rounds to cents, which is what every AWS billing message shows; avoids 0.1 + 0.2 artefacts. */
export function roundMoney(amount: number): number {
  const rounded = Math.round(amount * 100) / 100;
  return Number.isFinite(rounded) ? rounded : amount; // amounts near Number.MAX_VALUE overflow when scaled
}

export function money(amount: number, currency = 'USD'): Money {
  return { amount: roundMoney(amount), currency };
}

/**
 * Reads an amount as AWS prints it: `$1,234.56`, `USD 12.00`, `12.00 USD`, `-$3.10`.
 * Returns null when the text holds no currency marker or no number.
 * @example parseMoney('$1,234.56') // { amount: 1234.56, currency: 'USD' }
 */
export function parseMoney(text: string): Money | null {
  const t = text.trim();
  // Thousands groups are exactly three digits: `$420,00` (a decimal comma) is refused, not read as 42,000.
  const m =
    /^(-)?\s*([$€£¥₹]|[A-Z]{3}\s+)?\s*(-)?((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)\s*([A-Z]{3})?$/.exec(
      t,
    );
  if (!m) return null;
  const [, neg1, prefix, neg2, digits, suffix] = m;
  const code = prefix ? (SYMBOLS[prefix.trim()] ?? prefix.trim()) : suffix;
  if (!code || !digits) return null;
  const amount = Number(digits.includes(',') ? digits.replace(/,/g, '') : digits);
  if (!Number.isFinite(amount)) return null;
  return money(neg1 || neg2 ? -amount : amount, code);
}

/** Parses a plain number that may carry thousands separators: `1,234.5` → 1234.5. */
export function parseNumber(text: string): number | null {
  const t = text.trim().replace(/,/g, '');
  if (!/^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}
