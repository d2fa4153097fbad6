import type { SpendEvent } from '../event/schema.ts';
import type { Labels } from './matchers.ts';

/** Labels an event carries, for matchers and `groupBy`. Account tags add `tag.<name>`. */
export const LABEL_NAMES = [
  'kind',
  'severity',
  'status',
  'accountId',
  'accountName',
  'budgetName',
  'budgetType',
  'alertType',
  'period',
  'alarmName',
  'alarmState',
  'service',
  'region',
  'linkedAccount',
  'anomalyMonitor',
] as const;

/** Whether a label name is one events carry (the fixed names, or `tag.<name>`). */
export function isKnownLabel(name: string): boolean {
  return (LABEL_NAMES as readonly string[]).includes(name) || /^tag\.[A-Za-z0-9_.:/+=@-]+$/.test(name);
}

/** What the config (or AWS Organizations) knows of an account. */
export interface AccountInfo {
  name: string;
  tags: Record<string, string>;
}

export type AccountDirectory = (accountId: string) => AccountInfo | undefined;

/**
 * The labels of an event. An anomaly's services, regions and linked accounts are its root
 * causes'; a billing alarm's service is its `ServiceName` dimension.
 */
export function eventLabels(event: SpendEvent, accounts: AccountDirectory = noAccounts): Labels {
  const account = event.accountId ? accounts(event.accountId) : undefined;
  const labels: Labels = {
    kind: event.kind,
    severity: event.severity,
    status: event.status,
    accountId: event.accountId ?? '',
    accountName: account?.name ?? '',
  };
  if (account) for (const tag in account.tags) labels[`tag.${tag}`] = account.tags[tag]!;
  switch (event.kind) {
    case 'budget':
      labels.budgetName = event.budget.name;
      labels.budgetType = event.budget.type;
      labels.alertType = event.budget.alertType;
      labels.period = event.budget.period ?? '';
      break;
    case 'budget-adjustment':
      labels.budgetName = event.budgetAdjustment.name ?? '';
      break;
    case 'alarm':
    case 'billing-alarm':
      labels.alarmName = event.alarm.name;
      labels.alarmState = event.alarm.state;
      labels.service = event.alarm.service ?? '';
      labels.region = event.alarm.region ?? '';
      labels.linkedAccount = event.alarm.linkedAccount ?? '';
      break;
    case 'anomaly': {
      const causes = event.anomaly.rootCauses;
      labels.service = distinct(causes.map((c) => c.service));
      labels.region = distinct(causes.map((c) => c.region));
      labels.linkedAccount = distinct(causes.map((c) => c.linkedAccount));
      labels.anomalyMonitor = event.anomaly.monitorName ?? event.anomaly.monitorArn ?? '';
      break;
    }
    case 'unrecognized':
      break;
  }
  return labels;
}

function noAccounts(): undefined {
  return undefined;
}

/** The values present, each once, in first-seen order. */
function distinct(values: Array<string | null>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}

/** The event's headline amount: budget spend, alarm datapoint, anomaly total impact, adjusted limit. */
export function eventAmount(event: SpendEvent): number | null {
  switch (event.kind) {
    case 'budget':
      return event.budget.spend?.amount ?? event.budget.usage?.value ?? null;
    case 'alarm':
    case 'billing-alarm':
      return event.alarm.value;
    case 'anomaly':
      return event.anomaly.impact.total?.amount ?? event.anomaly.impact.max?.amount ?? null;
    case 'budget-adjustment':
      return event.budgetAdjustment.currentLimit.amount;
    case 'unrecognized':
      return null;
  }
}
