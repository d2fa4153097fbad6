import type { InboundMessage } from '../envelope/unwrap.ts';
import { isRecord } from '../envelope/unwrap.ts';
import { NormalizeError } from '../errors.ts';
import { eventId } from '../event/id.ts';
import { money, parseMoney, type Money } from '../event/money.ts';
import type { BudgetAdjustmentEvent } from '../event/schema.ts';
import { baseFields, formatMoney, num, str, toIsoUtc, type NormalizeOptions } from './common.ts';

export function looksLikeBudgetAdjustment(message: InboundMessage): boolean {
  return isRecord(message.json) && ('previousBudgetLimit' in message.json || 'currentBudgetLimit' in message.json);
}

/** Reads the JSON notice AWS Budgets publishes when it auto-adjusts a budget's limit. */
export function normalizeBudgetAdjustment(message: InboundMessage, options: NormalizeOptions): BudgetAdjustmentEvent {
  const m = message.json as Record<string, unknown>;
  // The public evidence of this notice shows only the two limit keys; the name may be absent.
  const name = str(m.budgetName) ?? str(m.BudgetName) ?? str(m.name);
  const previousLimit = readLimit(m.previousBudgetLimit);
  const currentLimit = readLimit(m.currentBudgetLimit);
  if (!previousLimit || !currentLimit) {
    throw new NormalizeError(
      `budget adjustment notice${name ? ` for "${name}"` : ''} without readable previous and current limits`,
      'budget-adjustment',
    );
  }
  const accountId = str(m.accountId) ?? str(m.AccountId) ?? null;
  const when = toIsoUtc(m.adjustmentTime ?? m.timestamp ?? m.time);
  const delta = currentLimit.amount - previousLimit.amount;
  const direction = delta > 0 ? 'raised' : delta < 0 ? 'lowered' : 'kept';
  const label = name ? `Budget "${name}"` : 'A budget';
  return Object.assign(
    baseFields(
      message,
      {
        id: eventId('budget-adjustment', [
          accountId,
          name,
          previousLimit.amount,
          currentLimit.amount,
          previousLimit.currency,
          when,
        ]),
        service: 'budgets',
        accountId,
        occurredAt: when,
        severity: 'info',
        title: `${label} auto-adjusted: ${formatMoney(previousLimit)} → ${formatMoney(currentLimit)}`,
        summary: `AWS Budgets ${direction} the limit of ${name ? `"${name}"` : 'a budget'} from ${formatMoney(previousLimit)} to ${formatMoney(currentLimit)}${delta !== 0 ? ` (${delta > 0 ? '+' : '-'}${formatMoney(money(Math.abs(delta), currentLimit.currency))})` : ''}.`,
        consoleUrl: 'https://console.aws.amazon.com/costmanagement/home#/budgets',
      },
      options,
    ),
    { kind: 'budget-adjustment' as const, budgetAdjustment: { name, previousLimit, currentLimit } },
  );
}

/** A limit as AWS writes it: `{ amount, unit }`, `{ Amount, Unit }`, a number, or `"$100.00"`. */
function readLimit(value: unknown): Money | null {
  if (isRecord(value)) {
    const amount = num(value.amount ?? value.Amount);
    const unit = str(value.unit ?? value.Unit) ?? 'USD';
    return amount === null ? null : money(amount, /^[A-Z]{3}$/.test(unit) ? unit : 'USD');
  }
  if (typeof value === 'string') return parseMoney(value) ?? (num(value) === null ? null : money(num(value)!, 'USD'));
  const n = num(value);
  return n === null ? null : money(n, 'USD');
}
