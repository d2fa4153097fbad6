import type { InboundMessage } from '../envelope/unwrap.ts';
import { NormalizeError } from '../errors.ts';
import { eventId } from '../event/id.ts';
import { money, parseMoney, parseNumber, type Money } from '../event/money.ts';
import type { BudgetDetails, BudgetEvent, BudgetPeriod, Severity } from '../event/schema.ts';
import { baseFields, formatMoney, type NormalizeOptions } from './common.ts';
import { awsConsoleUrl } from './console-url.ts';

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
/**
 * One `Name: value` line, tried where a line starts (sticky): a field never spans lines. The value
 * runs to the end of the line; its trailing blanks are cut after the match (a lazy `(.*?)[ \t]*$`
 * would try the end of the line at every character).
 */
const FIELD =
  /[ \t]*(Budget Name|Budget Type|Budgeted Amount|Alert Type|Alert Threshold|ACTUAL Amount|FORECASTED Amount)[ \t]*:[ \t]*(.*)$/imy;

/** True when a text message reads like an AWS Budgets notification. */
export function looksLikeBudgetText(message: InboundMessage): boolean {
  return (
    message.json === undefined &&
    (/AWS Budget Notification/i.test(message.raw) ||
      /^AWS Budgets:/i.test(message.context.subject ?? '') ||
      /^[ \t]*Budget Name[ \t]*:/im.test(message.raw))
  );
}

/**
 * Reads the plain-text notification AWS Budgets publishes to SNS.
 * @throws NormalizeError when the text resembles one but lacks the budget's name or alert type.
 */
export function normalizeBudgetNotification(message: InboundMessage, options: NormalizeOptions): BudgetEvent {
  const text = message.raw.includes('\r') ? message.raw.replace(/\r\n?/g, '\n') : message.raw;
  const fields = readFields(text);
  const name = fields.get('budget name');
  if (!name) throw new NormalizeError('Budgets notification without a "Budget Name:" line', 'budget');
  const alertTypeText = (fields.get('alert type') ?? inferAlertType(text, fields) ?? '').toUpperCase();
  if (alertTypeText !== 'ACTUAL' && alertTypeText !== 'FORECASTED') {
    throw new NormalizeError(
      `Budgets notification "${name}" has no readable "Alert Type:" (ACTUAL or FORECASTED)`,
      'budget',
    );
  }
  const alertType = alertTypeText;
  const diagnostics: string[] = [];

  const limitText = fields.get('budgeted amount') ?? '';
  const thresholdText = (fields.get('alert threshold') ?? '').replace(/^\s*(?:>=|≥|>)\s*/, '');
  const spendText = fields.get(`${alertType.toLowerCase()} amount`) ?? '';
  if (!spendText) diagnostics.push(`no "${alertType} Amount:" line`);

  let limit = parseMoney(limitText);
  let spend = parseMoney(spendText);
  let threshold = parseMoney(firstMoneyToken(thresholdText) ?? '');
  const thresholdPercent = parsePercent(thresholdText);
  if (!threshold && limit && thresholdPercent !== null)
    threshold = money((limit.amount * thresholdPercent) / 100, limit.currency);

  let usage: BudgetDetails['usage'] = null;
  if (!limit && !spend && (limitText || spendText)) {
    usage = readUsage(limitText, thresholdText, spendText);
    if (!usage)
      diagnostics.push(`amounts not readable: budgeted "${limitText}", ${alertType.toLowerCase()} "${spendText}"`);
  }
  if (!usage && limitText && !limit) diagnostics.push(`budgeted amount not readable: "${limitText}"`);
  if (!usage && spendText && !spend) diagnostics.push(`${alertType} amount not readable: "${spendText}"`);
  if (usage) [limit, spend, threshold] = [null, null, null];
  if (!usage && thresholdText && !threshold && thresholdPercent === null)
    diagnostics.push(`alert threshold not readable: "${thresholdText}"`);
  const stated = proseAmount(text);
  if (spend && stated && Math.abs(stated.amount - spend.amount) >= 0.005) {
    diagnostics.push(
      `the text says the ${alertType} cost is ${formatMoney(stated)} but the "${alertType} Amount:" line says ${formatMoney(spend)}; the line is used`,
    );
  }

  const percentOfLimit = percent(spend?.amount ?? usage?.value ?? null, limit?.amount ?? usage?.limit ?? null);
  const notificationDate = readNotificationDate(text);
  const accountId = /AWS Account[ \t:#]*([0-9]{12})\b/i.exec(text)?.[1] ?? null;
  const period = readPeriod(text);
  const budget: BudgetDetails = {
    name,
    type: fields.get('budget type') ?? 'Cost',
    period,
    alertType,
    limit,
    threshold,
    spend,
    percentOfLimit,
    usage,
    notificationDate,
  };
  // A $0 budget ("tell me about any spend") has no percentage: any spend is over it.
  const overZero = limit?.amount === 0 && (spend?.amount ?? 0) > 0;
  const severity = budgetSeverity(alertType, overZero ? Number.POSITIVE_INFINITY : percentOfLimit);
  const shown = amountText(spend, usage?.value ?? null, usage);
  const limitShown = amountText(limit, usage?.limit ?? null, usage);
  const pct = percentOfLimit !== null ? ` (${percentOfLimit}% of ${limitShown})` : '';
  const title =
    alertType === 'ACTUAL' ? `Budget "${name}": actual ${shown}${pct}` : `Budget "${name}": forecast ${shown}${pct}`;
  const thresholdShown = threshold ? formatMoney(threshold) : thresholdText || 'its threshold';
  const summary =
    alertType === 'ACTUAL'
      ? `Actual ${budget.type.toLowerCase()} for ${periodPhrase(period)} is ${shown}, over the alert threshold of ${thresholdShown}; the budget is ${limitShown}.`
      : `Forecasted ${budget.type.toLowerCase()} for ${periodPhrase(period)} is ${shown}, over the alert threshold of ${thresholdShown}; the budget is ${limitShown}.`;

  return Object.assign(
    baseFields(
      message,
      {
        id: eventId('budget', [
          accountId,
          name,
          budget.type,
          period,
          alertType,
          thresholdText,
          notificationDate,
          spendText,
          limitText,
        ]),
        service: 'budgets',
        accountId,
        occurredAt: publishTime(message.context.timestamp, notificationDate),
        severity,
        title,
        summary,
        consoleUrl: footnoteLink(text) ?? 'https://console.aws.amazon.com/costmanagement/home#/budgets',
        diagnostics,
      },
      options,
    ),
    { kind: 'budget' as const, budget },
  );
}

/**
 * The dashboard link where AWS puts it: the `[1] https://…` footnote line the prose refers to
 * ("… the AWS Budgets dashboard [1]."), on a line of its own, and only when it points at the AWS
 * console. A URL anywhere else (a budget name, the prose) is the sender's text, not AWS's.
 */
function footnoteLink(text: string): string | null {
  const lines = [...text.matchAll(/^[ \t]*\[1\][ \t]+(\S+)[ \t]*$/gm)];
  return awsConsoleUrl(lines.at(-1)?.[1]);
}

/** An amount as the title shows it: money, or a usage figure with its unit. */
function amountText(m: Money | null, u: number | null, usage: BudgetDetails['usage']): string {
  return m ? formatMoney(m) : u !== null ? `${u} ${usage?.unit ?? ''}`.trim() : 'n/a';
}

/**
 * The publish time, unless it falls on another day than the notification's own date (a replayed or
 * simulated message): then the date the message states.
 */
function publishTime(timestamp: string | null, notificationDate: string | null): string | null {
  if (!notificationDate) return timestamp;
  if (timestamp && timestamp.slice(0, 10) === notificationDate) return timestamp;
  return `${notificationDate}T00:00:00.000Z`;
}

/**
 * Severity of a budget alert: ACTUAL at or over the limit is critical; ACTUAL under it, or a
 * forecast at or over it, is a warning; a forecast under the limit is info. Spend over a $0
 * budget is over it: pass `Infinity`.
 */
export function budgetSeverity(alertType: 'ACTUAL' | 'FORECASTED', percentOfLimit: number | null): Severity {
  const over = percentOfLimit !== null && percentOfLimit >= 100;
  if (alertType === 'ACTUAL') return over ? 'critical' : 'warning';
  return over || percentOfLimit === null ? 'warning' : 'info';
}

/**
 * The first non-empty value of each field. The pattern is tried at each line start only, which
 * is where a multiline `^` could match, instead of at every character.
 */
function readFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  const otherBreaks = text.includes('\r') || text.includes('\u2028') || text.includes('\u2029'); // line ends besides \n, for `$` and `^`
  for (let start = 0; start <= text.length; ) {
    FIELD.lastIndex = start;
    const m = FIELD.exec(text);
    if (m) {
      const key = m[1]!.toLowerCase();
      const value = trimBlanksEnd(m[2]!);
      if (!fields.has(key) && value) fields.set(key, value);
    }
    const next = otherBreaks ? nextLineStart(text, start) : text.indexOf('\n', start) + 1;
    if (next === 0) break;
    start = next;
  }
  return fields;
}

/** The text without trailing spaces and tabs. */
function trimBlanksEnd(text: string): string {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Where the line after the one at `start` begins, or 0 at the last line. */
function nextLineStart(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return i + 1;
  }
  return 0;
}

function inferAlertType(text: string, fields: Map<string, string>): string | null {
  if (fields.has('forecasted amount')) return 'FORECASTED';
  if (fields.has('actual amount')) return 'ACTUAL';
  return /\b(ACTUAL|FORECASTED)\b/.exec(text)?.[1] ?? null;
}

function readNotificationDate(text: string): string | null {
  const m = /AWS Budget Notification[ \t,:-]*([A-Za-z]+)\.?[ \t]+(\d{1,2}),?[ \t]+(\d{4})/i.exec(text);
  if (!m) return null;
  const month = MONTHS.findIndex((name) => name.startsWith(m[1]!.toLowerCase().slice(0, 3)));
  const day = Number(m[2]);
  if (month < 0 || day < 1 || day > 31) return null;
  return `${m[3]}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function readPeriod(text: string): BudgetPeriod | null {
  const prose = text.toLowerCase();
  // Each pattern needs a word that `includes` finds far faster than the pattern fails.
  if (prose.includes('quarter') && /\b(?:current|this) (?:quarter)\b|\bper quarter\b|\bquarterly\b/.test(prose))
    return 'quarterly';
  if (
    (prose.includes('year') || prose.includes('annual')) &&
    /\b(?:current|this) (?:year)\b|\bper year\b|\bannual(?:ly)?\b|\byearly\b/.test(prose)
  )
    return 'annually';
  if (
    (prose.includes('day') || prose.includes('daily')) &&
    /\b(?:current|this) day\b|\bper day\b|\btoday\b|\bdaily\b/.test(prose)
  )
    return 'daily';
  if (prose.includes('month') && /\b(?:current|this) month\b|\bper month\b|\bmonthly\b/.test(prose)) return 'monthly';
  return null;
}

function periodPhrase(period: BudgetPeriod | null): string {
  return (
    { daily: 'today', monthly: 'this month', quarterly: 'this quarter', annually: 'this year' }[period ?? 'monthly'] ??
    'this period'
  );
}

/** The amount the prose paragraph states ("… associated with this budget is $1.03."), to cross-check the field line. */
function proseAmount(text: string): Money | null {
  const m = /associated with this budget is\s+([^\s]+?)\.?(?:\s|$)/i.exec(text);
  return m ? parseMoney(m[1]!.replace(/\.$/, '')) : null;
}

function firstMoneyToken(text: string): string | null {
  return (
    /(?:[$€£¥₹]\s*-?[0-9][0-9,]*(?:\.[0-9]+)?)|(?:-?[0-9][0-9,]*(?:\.[0-9]+)?\s*[A-Z]{3}\b)/.exec(text)?.[0] ?? null
  );
}

function parsePercent(text: string): number | null {
  const m = /(-?[0-9][0-9,]*(?:\.[0-9]+)?)\s*%/.exec(text);
  return m ? parseNumber(m[1]!) : null;
}

function readUsage(limitText: string, thresholdText: string, valueText: string): BudgetDetails['usage'] {
  const read = (t: string) => {
    const m = /^\s*(-?[0-9][0-9,]*(?:\.[0-9]+)?)\s*(.*?)\s*$/.exec(t);
    return m ? { n: parseNumber(m[1]!), unit: m[2] ?? '' } : null;
  };
  const limit = read(limitText);
  const value = read(valueText);
  const threshold = read(thresholdText);
  if (!limit && !value) return null;
  return {
    limit: limit?.n ?? null,
    threshold: threshold?.n ?? null,
    value: value?.n ?? null,
    unit: limit?.unit || value?.unit || threshold?.unit || '',
  };
}

function percent(value: number | null, of: number | null): number | null {
  if (value === null || of === null || of === 0) return null;
  return Math.round((value / of) * 1000) / 10;
}
