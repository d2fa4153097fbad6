/**
 * The topology of spend-alerts, as plain data: what the SST mapping deploys and what the local
 * runtime starts, so the laptop and the cloud run one topology. No SST or AWS imports here.
 */

export const CHANNELS = ['slack', 'email', 'webhook', 'teams'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The channels a config has receivers on, in `CHANNELS` order: only these get a queue, a dead-letter
 * queue and a consumer. A channel nobody receives on would cost its event source mapping's idle
 * polling (about $0.26 a month) for nothing.
 */
export function channelsInUse(receivers: readonly { type: string }[]): Channel[] {
  const used = new Set(receivers.map((r) => r.type));
  return CHANNELS.filter((channel) => used.has(channel));
}

export interface ConsumerSpec {
  channel: Channel;
  /** The Lambda handler, as SST names it: `<module path>.<export>`. */
  handler: string;
  /** SQS event source: records per invocation and how long to gather them. */
  batchSize: number;
  batchWindowSeconds: number;
  /** Function limits, chosen by measurement (see README, "Deploy to AWS"). */
  timeoutSeconds: number;
  memoryMb: number;
  /** At least six times the function timeout, as AWS advises for SQS event sources. */
  visibilityTimeoutSeconds: number;
  /** Receives before a record goes to the dead-letter queue. */
  maxReceiveCount: number;
  /** How long a dead-lettered record is kept (the SQS maximum is 14 days). */
  dlqRetentionSeconds: number;
}

export interface ScheduleSpec {
  name: string;
  handler: string;
  /** An EventBridge Scheduler expression. */
  schedule: string;
  timeoutSeconds: number;
  memoryMb: number;
}

export interface Spec {
  app: string;
  runtime: 'nodejs22.x';
  architecture: 'arm64';
  topic: {
    name: string;
    /** AWS services allowed to publish, scoped to this account by `aws:SourceAccount`. */
    publishers: readonly string[];
  };
  operationsTopic: { name: string };
  consumers: Record<Channel, ConsumerSpec>;
  table: {
    name: string;
    partitionKey: 'pk';
    sortKey: 'sk';
    /** Epoch seconds; DynamoDB TTL deletes expired items. Reads check it too (the local stand-in has no TTL). */
    ttlAttribute: 'expiresAt';
  };
  schedules: readonly ScheduleSpec[];
  secrets: { slackToken: string };
  /** Billing metrics exist only here; Cost Explorer's endpoint too. */
  billingRegion: 'us-east-1';
}

const consumer = (channel: Channel, overrides: Partial<ConsumerSpec> = {}): ConsumerSpec => ({
  channel,
  handler: `packages/functions/src/handlers/${channel}.handler`,
  batchSize: 10,
  batchWindowSeconds: 2,
  // Sized from the bench (`npm run bench -- --only=rss`): the bundled consumer peaks at about 190 MB
  // on 2,000 alerts in batches of ten, under 60% of this. Its invocations' p99 there is about 0.3 s;
  // the timeout leaves room for what the bench does not see: Slack's Retry-After waits, a slow
  // webhook, a Cost Explorer refresh. Billed by duration, a long timeout costs nothing unused.
  timeoutSeconds: 30,
  memoryMb: 384,
  visibilityTimeoutSeconds: 180,
  maxReceiveCount: 5,
  dlqRetentionSeconds: 14 * 24 * 3600,
  ...overrides,
});

export const spec: Spec = {
  app: 'spend-alerts',
  runtime: 'nodejs22.x',
  architecture: 'arm64',
  topic: {
    name: 'SpendEvents',
    publishers: ['budgets.amazonaws.com', 'cloudwatch.amazonaws.com', 'costalerts.amazonaws.com'],
  },
  operationsTopic: { name: 'SpendAlertsOperations' },
  consumers: {
    slack: consumer('slack'),
    email: consumer('email'),
    // Webhooks wait on slow endpoints: a longer timeout, and a visibility timeout six times it.
    webhook: consumer('webhook', { timeoutSeconds: 60, visibilityTimeoutSeconds: 360 }),
    teams: consumer('teams'),
  },
  table: { name: 'Ledger', partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt' },
  schedules: [
    {
      name: 'Digest',
      handler: 'packages/functions/src/handlers/digest.handler',
      schedule: 'cron(5 * * * ? *)',
      timeoutSeconds: 120,
      memoryMb: 512,
    },
    {
      // The daily heartbeat, and the hourly look at the ledger and the dead-letter queues.
      name: 'Watchdog',
      handler: 'packages/functions/src/handlers/watchdog.handler',
      schedule: 'cron(35 * * * ? *)',
      timeoutSeconds: 30,
      memoryMb: 128,
    },
  ],
  secrets: { slackToken: 'SlackBotToken' },
  billingRegion: 'us-east-1',
};

/** Resource names as handlers see them through SST links (`Resource.<name>`). */
export const links = {
  topic: spec.topic.name,
  table: spec.table.name,
  queue: (channel: Channel) => `${capitalize(channel)}Queue`,
  dlq: (channel: Channel) => `${capitalize(channel)}DeadLetters`,
  operationsTopic: spec.operationsTopic.name,
};

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
