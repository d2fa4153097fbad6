/**
 * The list prices the bill is computed with: us-east-1, on demand, without any free tier, as AWS
 * publishes them on the day below. One place to update when they change.
 */

export const PRICES_AS_OF = '2026-12-07';
export const PRICE_REGION = 'us-east-1';

export interface Price {
  /** Dollars for `per` units. */
  usd: number;
  per: number;
  unit: string;
  /** Where the price is published. */
  source: string;
}

const GB = 1024 ** 3;

export const PRICES = {
  lambdaRequests: { usd: 0.2, per: 1e6, unit: 'requests', source: 'https://aws.amazon.com/lambda/pricing/ (Arm)' },
  lambdaCompute: {
    usd: 0.0000133334,
    per: 1,
    unit: 'GB-seconds',
    source: 'https://aws.amazon.com/lambda/pricing/ (Arm, first 7.5 billion GB-s)',
  },
  sqsRequests: {
    usd: 0.4,
    per: 1e6,
    unit: 'requests (64 KB each)',
    source: 'https://aws.amazon.com/sqs/pricing/ (standard queues; each 64 KB chunk of a payload is one request)',
  },
  snsPublishes: {
    usd: 0.5,
    per: 1e6,
    unit: 'publishes (64 KB each)',
    source: 'https://aws.amazon.com/sns/pricing/ (standard topics; each 64 KB chunk of a publish is one request)',
  },
  snsSqsDeliveries: {
    usd: 0,
    per: 1,
    unit: 'deliveries',
    source: 'https://aws.amazon.com/sns/pricing/ (deliveries to SQS queues are not charged)',
  },
  dynamoWrites: {
    usd: 0.625,
    per: 1e6,
    unit: 'write request units',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (after the November 2024 reduction)',
  },
  dynamoReads: {
    usd: 0.125,
    per: 1e6,
    unit: 'read request units',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  dynamoStorage: {
    usd: 0.25,
    per: GB,
    unit: 'byte-months',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (Standard table class, per GB-month)',
  },
  costExplorerRequests: {
    usd: 0.01,
    per: 1,
    unit: 'requests',
    source: 'https://aws.amazon.com/aws-cost-management/aws-cost-explorer/pricing/ (each paginated request is one)',
  },
  budgetsRequests: {
    usd: 0,
    per: 1,
    unit: 'requests',
    source: 'AWS Price List, AWSBudgets offer: budgets and notifications $0.00; no charge for API requests',
  },
  organizationsRequests: {
    usd: 0,
    per: 1,
    unit: 'requests',
    source: 'https://aws.amazon.com/organizations/pricing/ (no charge)',
  },
  sesRecipients: {
    usd: 0.1,
    per: 1000,
    unit: 'recipients',
    source: 'https://aws.amazon.com/ses/pricing/ (outbound email, per 1,000 recipients)',
  },
  sesAttachments: {
    usd: 0.12,
    per: GB,
    unit: 'bytes of attachments',
    source: 'https://aws.amazon.com/ses/pricing/ (per GB of attachments)',
  },
  logsIngestion: {
    usd: 0.5,
    per: GB,
    unit: 'bytes ingested',
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (Logs, Standard class, per GB ingested)',
  },
  logsStorage: {
    usd: 0.03,
    per: GB,
    unit: 'byte-months stored',
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (Logs, per GB-month archived)',
  },
  alarms: {
    usd: 0.1,
    per: 1,
    unit: 'alarm-months',
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (standard resolution alarm, per alarm metric)',
  },
  customMetrics: {
    usd: 0.3,
    per: 1,
    unit: 'metric-months',
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (custom metrics, first 10,000)',
  },
  schedulerInvocations: {
    usd: 1,
    per: 1e6,
    unit: 'invocations',
    source: 'https://aws.amazon.com/eventbridge/pricing/ (EventBridge Scheduler)',
  },
  dataTransferOut: {
    usd: 0.09,
    per: GB,
    unit: 'bytes out to the internet',
    source: 'https://aws.amazon.com/ec2/pricing/on-demand/ (data transfer out to the internet, first 10 TB)',
  },
  budgetsResources: {
    usd: 0,
    per: 1,
    unit: 'budgets',
    source: 'AWS Price List, AWSBudgets offer: $0.00 per budget-day for budgets without actions',
  },
  anomalyMonitors: {
    usd: 0,
    per: 1,
    unit: 'monitors',
    source: 'https://aws.amazon.com/aws-cost-management/aws-cost-anomaly-detection/pricing/ (no charge)',
  },
  notAws: { usd: 0, per: 1, unit: 'requests', source: 'not an AWS charge' },
} as const satisfies Record<string, Price>;

export type PriceKey = keyof typeof PRICES;

/** Dollars for `quantity` units at `price`. */
export function costOf(price: Price, quantity: number): number {
  return (quantity * price.usd) / price.per;
}
