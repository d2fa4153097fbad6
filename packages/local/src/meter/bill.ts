/**
 * Turns what a run metered, and what the model adds, into a month's bill: one line per price
 * dimension with its count, unit price and dollars, and whether the count was metered or modelled.
 * The user's own budgets, billing alarms and anomaly monitor are listed apart: they are theirs.
 */
import { PLATFORM_LOG_BYTES } from './lambda-report.ts';
import type { MonthModel } from './model.ts';
import { costOf, type Price, PRICE_REGION, PRICES, PRICES_AS_OF } from './prices.ts';
import type { UsageKey, UsageRecord } from './usage.ts';

export interface BillItem {
  item: string;
  label: string;
  /** In the price's unit. */
  count: number;
  unit: string;
  /** Dollars for one unit. */
  unitPriceUsd: number;
  usd: number;
  basis: 'metered' | 'modelled';
  note?: string;
}

export interface Bill {
  pricesAsOf: string;
  region: string;
  items: BillItem[];
  usd: number;
  meteredUsd: number;
  modelledUsd: number;
  /** The user's own resources (billing alarms, budgets, the anomaly monitor), not counted above. */
  listedApart: BillItem[];
  listedApartUsd: number;
}

/** A count to put in place of a metered one, e.g. Cost Explorer requests modelled for another alert volume. */
export interface Override {
  count: number;
  basis: 'metered' | 'modelled';
  note?: string;
}

export interface BillInputs {
  /** Everything metered for the month. */
  records: UsageRecord[];
  /** DynamoDB bytes stored at the end of the month. */
  storedBytes: number;
  model: MonthModel;
  overrides?: Partial<Record<string, Override>>;
}

const EMPTY_RECEIVE = 'ReceiveMessage (empty)';
/** HTTP headers and TLS framing of a request to Slack, a webhook or Teams, beyond its body. */
export const REQUEST_OVERHEAD_BYTES = 500;

export function buildBill({ records, storedBytes, model, overrides = {} }: BillInputs): Bill {
  const sum = (key: UsageKey, keep: (r: UsageRecord) => boolean = () => true) =>
    records.reduce((n, r) => (r.key === key && keep(r) ? n + r.quantity : n), 0);
  const invocations = sum('lambda.requests');
  const publishes = sum('sns.publishes');
  const emptyReceives = sum('sqs.requests', (r) => r.detail === EMPTY_RECEIVE);
  const logBytes = sum('logs.ingestedBytes') + invocations * PLATFORM_LOG_BYTES;
  const outRequests = sum('slack.calls') + sum('webhook.requests') + sum('teams.requests');
  const scheduled = Object.values(model.schedules).reduce((a, b) => a + b, 0);

  const line = (
    item: string,
    label: string,
    count: number,
    price: Price,
    basis: BillItem['basis'],
    note?: string,
  ): BillItem => {
    const o = overrides[item];
    const n = o ? o.count : count;
    return {
      item,
      label,
      count: round(n, 6),
      unit: price.unit,
      unitPriceUsd: price.usd / price.per,
      usd: costOf(price, n),
      basis: o ? o.basis : basis,
      ...((o?.note ?? note) ? { note: o?.note ?? note } : {}),
    };
  };

  const items: BillItem[] = [
    line('lambda.requests', 'Lambda requests', invocations, PRICES.lambdaRequests, 'metered'),
    line(
      'lambda.compute',
      'Lambda compute',
      sum('lambda.gbSeconds'),
      PRICES.lambdaCompute,
      'metered',
      'measured duration of each invocation on this machine, billed to the millisecond, times the memory stacks/spec.ts configures',
    ),
    line(
      'sqs.requests',
      'SQS requests: receives with messages, deletes, visibility changes, sends',
      sum('sqs.requests', (r) => r.detail !== EMPTY_RECEIVE),
      PRICES.sqsRequests,
      'metered',
    ),
    line(
      'sqs.snsDeliveries',
      'SQS: the topic delivering each publish to every channel queue',
      publishes * model.polledQueues,
      PRICES.sqsRequests,
      'metered',
      `${model.polledQueues} channel queues per metered publish`,
    ),
    line(
      'sqs.idlePolling',
      'SQS: event source mappings long-polling the queues',
      model.idleReceives,
      PRICES.sqsRequests,
      'modelled',
      `${model.polledQueues} queues × 5 pollers × one 20 s receive each, a 30-day month (AWS: at low traffic Lambda ` +
        `keeps five, and can go down to two: ${fmt(costOf(PRICES.sqsRequests, model.idleReceivesOptimized))}); ` +
        `the local pollers' own ${Math.round(emptyReceives)} empty receives are not counted: a local poller keeps its own pace`,
    ),
    line('sns.publishes', 'SNS publishes to the spend topic', publishes, PRICES.snsPublishes, 'metered'),
    line('dynamodb.writes', 'DynamoDB writes', sum('dynamodb.writeUnits'), PRICES.dynamoWrites, 'metered'),
    line('dynamodb.reads', 'DynamoDB reads', sum('dynamodb.readUnits'), PRICES.dynamoReads, 'metered'),
    line(
      'dynamodb.storage',
      'DynamoDB storage',
      storedBytes,
      PRICES.dynamoStorage,
      'modelled',
      'the ledger as this run left it (with 100 bytes per item), kept a month',
    ),
    line(
      'costExplorer.requests',
      'Cost Explorer requests',
      sum('costExplorer.requests'),
      PRICES.costExplorerRequests,
      'metered',
    ),
    line('budgets.requests', 'Budgets API requests', sum('budgets.requests'), PRICES.budgetsRequests, 'metered'),
    line(
      'organizations.requests',
      'Organizations API requests',
      sum('organizations.requests'),
      PRICES.organizationsRequests,
      'metered',
    ),
    line('ses.recipients', 'SES emails (per recipient)', sum('ses.recipients'), PRICES.sesRecipients, 'metered'),
    line(
      'ses.attachments',
      'SES attachments (inline charts)',
      sum('ses.attachmentBytes'),
      PRICES.sesAttachments,
      'metered',
    ),
    line(
      'logs.ingestion',
      'CloudWatch Logs ingestion',
      logBytes,
      PRICES.logsIngestion,
      'metered',
      `what the handlers wrote, plus ${PLATFORM_LOG_BYTES} bytes of Lambda's own START, END and REPORT lines per invocation (modelled)`,
    ),
    line(
      'logs.storage',
      'CloudWatch Logs storage',
      logBytes,
      PRICES.logsStorage,
      'modelled',
      "a month's logs, kept a month (retention: 1 month), uncompressed as an upper bound",
    ),
    line(
      'dataTransfer.out',
      'Data transfer out (Slack, webhooks, Teams)',
      sum('dataTransfer.outBytes') + outRequests * REQUEST_OVERHEAD_BYTES,
      PRICES.dataTransferOut,
      'metered',
      `request bodies, plus ${REQUEST_OVERHEAD_BYTES} bytes of headers and TLS per request (modelled)`,
    ),
    line('slack.calls', 'Slack Web API calls', sum('slack.calls'), PRICES.notAws, 'metered'),
    line('webhook.requests', 'Webhook requests', sum('webhook.requests'), PRICES.notAws, 'metered'),
    line('teams.requests', 'Teams Workflows requests', sum('teams.requests'), PRICES.notAws, 'metered'),
    line(
      'scheduler.invocations',
      'EventBridge Scheduler invocations',
      scheduled,
      PRICES.schedulerInvocations,
      'modelled',
      Object.entries(model.schedules)
        .map(([name, n]) => `${name} ${n}`)
        .join(', '),
    ),
    line('cloudwatch.alarms', 'CloudWatch alarms on the pipeline', model.operationsAlarms, PRICES.alarms, 'modelled'),
    line('cloudwatch.metrics', 'CloudWatch custom metrics', model.customMetrics, PRICES.customMetrics, 'modelled'),
    line(
      'secrets.reads',
      'Secrets Manager / Parameter Store reads',
      0,
      PRICES.notAws,
      'modelled',
      'none: SST bundles linked secrets, encrypted, into each function',
    ),
  ];
  const listedApart = [
    line(
      'user.billingAlarms',
      'your billing alarms (billingAlarms:)',
      model.userBillingAlarms,
      PRICES.alarms,
      'modelled',
    ),
    line(
      'user.budgets',
      'your budgets (budgets:)',
      model.userBudgets,
      PRICES.budgetsResources,
      'modelled',
      'AWS Budgets charge nothing for budgets without actions',
    ),
    line(
      'user.anomalyMonitors',
      'your anomaly monitor (anomalyDetection:)',
      model.userAnomalyMonitors,
      PRICES.anomalyMonitors,
      'modelled',
      'Cost Anomaly Detection is free',
    ),
  ];
  const total = (basis?: BillItem['basis']) => items.reduce((n, i) => (!basis || i.basis === basis ? n + i.usd : n), 0);
  return {
    pricesAsOf: PRICES_AS_OF,
    region: PRICE_REGION,
    items,
    usd: total(),
    meteredUsd: total('metered'),
    modelledUsd: total('modelled'),
    listedApart,
    listedApartUsd: listedApart.reduce((n, i) => n + i.usd, 0),
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Dollars as the bill prints them: cents, or four decimals under a cent. */
export function fmt(usd: number): string {
  return usd >= 0.01 || usd === 0 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}
