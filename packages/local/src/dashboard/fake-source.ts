/**
 * An in-memory DashboardSource: for the dashboard's tests, and for looking at the page by hand
 * (`npx tsx packages/local/src/dashboard/fake-source.ts` serves it with a clock that ticks).
 * The demo state is made by the real normalizer and renderers from real-format AWS messages, so
 * the page is looked at with what the pipeline actually produces.
 */
import { pathToFileURL } from 'node:url';
import {
  loadConfig,
  readInput,
  renderEmail,
  renderSlackMessage,
  renderTeamsMessage,
  renderWebhookPayload,
  sampleEnrichment,
  type EmailReceiver,
  type Enrichment,
  type SlackReceiver,
  type SpendEvent,
  type TeamsReceiver,
  type WebhookReceiver,
} from '@spend-alerts/core';
import type { Channel } from '@spend-alerts/stacks/spec';
import { type Bill, buildBill } from '../meter/bill.ts';
import { configModel } from '../meter/run-bill.ts';
import type { DashboardSlackMessage, DashboardSource, DashboardState, DashboardUpdate } from './source.ts';

type File = { contentType: string; bytes: Buffer };

/** A DashboardSource whose state is a plain object; `push` changes it and tells subscribers. */
export class FakeDashboardSource implements DashboardSource {
  /** Every redrive asked for, in order. */
  readonly redriveCalls: Array<{ channel: Channel; messageId?: string }> = [];
  readonly files = new Map<string, File>();
  #state: DashboardState;
  #listeners = new Set<(update: DashboardUpdate) => void>();

  constructor(state: DashboardState = demoState()) {
    this.#state = structuredClone(state);
    this.files.set(DEMO_CHART, {
      contentType: 'image/svg+xml',
      bytes: Buffer.from(demoChartSvg(this.#state.spend.daily)),
    });
  }

  async snapshot(): Promise<DashboardState> {
    return structuredClone(this.#state);
  }

  subscribe(listener: (update: DashboardUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** How many subscribers are attached: an SSE client that left must not stay counted. */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Applies an update to the state, as the runtime would, and sends it to every subscriber. */
  push(update: DashboardUpdate): void {
    applyUpdate(this.#state, structuredClone(update));
    for (const listener of this.#listeners) listener(structuredClone(update));
  }

  /** Takes the records off the DLQ and counts them delivered, as a successful redrive would end. */
  async redrive(channel: Channel, messageId?: string): Promise<{ redriven: number }> {
    this.redriveCalls.push({ channel, ...(messageId !== undefined && { messageId }) });
    const taken = this.#state.dlq.filter(
      (d) => d.channel === channel && (messageId === undefined || d.messageId === messageId),
    );
    if (taken.length === 0) return { redriven: 0 };
    this.push({ type: 'dlq', data: this.#state.dlq.filter((d) => !taken.includes(d)) });
    this.push({
      type: 'deliveries',
      data: { ...this.#state.deliveries, [channel]: this.#state.deliveries[channel] + taken.length },
    });
    return { redriven: taken.length };
  }

  async file(path: string): Promise<File | null> {
    return this.files.get(path) ?? null;
  }

  /** The bill of a few alerts' usage, priced as a run's (a stand-in run's records, not a real one's). */
  async bill(): Promise<Bill> {
    const config = loadConfig(
      'receivers: [{ name: ops, type: slack, channel: "#ops" }]\nroute: { receiver: ops }\n',
      'demo.yaml',
    );
    return buildBill({
      records: [
        { key: 'lambda.requests', source: 'consumer:slack', detail: 'invocation', quantity: 3 },
        { key: 'lambda.gbSeconds', source: 'consumer:slack', detail: 'invocation', quantity: 0.3 },
        { key: 'sns.publishes', source: 'aws', detail: 'Publish', quantity: 3 },
        { key: 'dynamodb.writeUnits', source: 'consumer:slack', detail: 'PutItem (DELIVERY)', quantity: 6 },
        { key: 'slack.calls', source: 'consumer:slack', detail: 'chat.postMessage', quantity: 3 },
      ],
      storedBytes: 4096,
      model: configModel(config),
    });
  }
}

/** What the runtime's own state does with an update: lists grow, whole values are replaced. */
function applyUpdate(state: DashboardState, update: DashboardUpdate): void {
  switch (update.type) {
    case 'event':
      return void state.events.push(update.data);
    case 'slack':
      return void state.slack.push(update.data);
    case 'email':
      return void state.emails.push(update.data);
    case 'webhook':
      return void state.webhooks.push(update.data);
    case 'teams':
      return void state.teams.push(update.data);
    case 'digest':
      return void state.digests.push(update.data);
    case 'dlq':
      state.dlq = update.data;
      return;
    case 'deliveries':
      state.deliveries = update.data;
      return;
    case 'spend':
      state.spend = update.data;
      return;
    case 'clock':
      state.clock = update.data;
      return;
  }
}

// ---- The demo: May 2026, fourteen days in, a budget crossed, a billing alarm, an anomaly. ----

const ACCOUNT = '123456789012';
const NOW = '2026-05-14T09:30:00.000Z';
const DEMO_CHART = '/files/F0DIGEST01';

const slackReceiver: SlackReceiver = {
  name: 'finops-slack',
  type: 'slack',
  mode: 'immediate',
  channel: '#finops-alerts',
  mention: { critical: '@here' },
  threads: true,
};
const emailReceiver: EmailReceiver = {
  name: 'finops-email',
  type: 'email',
  mode: 'immediate',
  to: ['finops@example.com'],
  cc: [],
};
const webhookReceiver: WebhookReceiver = {
  name: 'incident-hook',
  type: 'webhook',
  url: 'https://hooks.example.com/spend',
  signingSecret: 'IncidentHookSecret',
  headers: {},
  headerSecrets: {},
  includeRaw: false,
  allowPrivateNetwork: false,
  timeoutMs: 5000,
};
const teamsReceiver: TeamsReceiver = {
  name: 'platform-teams',
  type: 'teams',
  mode: 'immediate',
  urlSecret: 'PlatformTeamsWorkflowUrl',
  timeoutMs: 10_000,
};

/** An AWS Budgets notification, in the plain-text form Budgets publishes. */
export function budgetText(
  name: string,
  limit: number,
  threshold: number,
  actual: number,
  day = 'May 14, 2026',
): string {
  const usd = (n: number) => `$${n.toFixed(2)}`;
  return [
    `AWS Budget Notification ${day}`,
    `AWS Account ${ACCOUNT}`,
    '',
    'Dear AWS Customer,',
    '',
    `You requested that we alert you when the ACTUAL Cost associated with your ${name} budget is greater than ${usd(threshold)} for the current month. The ACTUAL Cost associated with this budget is ${usd(actual)}. You can find additional details below and by accessing the AWS Budgets dashboard [1].`,
    '',
    `Budget Name: ${name}`,
    'Budget Type: Cost',
    `Budgeted Amount: ${usd(limit)}`,
    'Alert Type: ACTUAL',
    `Alert Threshold: > ${usd(threshold)}`,
    `ACTUAL Amount: ${usd(actual)}`,
    '',
    '[1] https://console.aws.amazon.com/costmanagement/home#/budgets',
    '',
  ].join('\n');
}

const billingAlarm = JSON.stringify({
  AlarmName: 'monthly-estimated-charges',
  AlarmDescription: 'Estimated charges above $600 this month',
  AWSAccountId: ACCOUNT,
  NewStateValue: 'ALARM',
  NewStateReason:
    'Threshold Crossed: 1 out of the last 1 datapoints [612.4 (14/05/26 06:13:00)] was greater than the threshold (600.0) (minimum 1 datapoint for OK -> ALARM transition).',
  StateChangeTime: '2026-05-14T06:13:14.090+0000',
  Region: 'US East (N. Virginia)',
  AlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:monthly-estimated-charges`,
  OldStateValue: 'OK',
  Trigger: {
    MetricName: 'EstimatedCharges',
    Namespace: 'AWS/Billing',
    StatisticType: 'Statistic',
    Statistic: 'MAXIMUM',
    Unit: null,
    Dimensions: [{ value: 'USD', name: 'Currency' }],
    Period: 21600,
    EvaluationPeriods: 1,
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 600.0,
    TreatMissingData: 'missing',
  },
});

const anomaly = JSON.stringify({
  accountId: ACCOUNT,
  anomalyDetailsLink:
    'https://console.aws.amazon.com/cost-management/home#/anomaly-detection/monitors/abcdef12-1234-4ea0-84cc-918a97d736ef/anomalies/12345678-abcd-ef12-3456-987654321a13',
  anomalyEndDate: '2026-05-13T00:00:00Z',
  anomalyId: '12345678-abcd-ef12-3456-987654321a13',
  anomalyScore: { currentScore: 0.71, maxScore: 0.78 },
  anomalyStartDate: '2026-05-12T00:00:00Z',
  dimensionalValue: 'Amazon Elastic Compute Cloud - Compute',
  impact: {
    maxImpact: 88,
    totalActualSpend: 214,
    totalExpectedSpend: 96,
    totalImpact: 118,
    totalImpactPercentage: 122.9,
  },
  monitorArn: `arn:aws:ce::${ACCOUNT}:anomalymonitor/abcdef12-1234-4ea0-84cc-918a97d736ef`,
  rootCauses: [
    {
      linkedAccount: ACCOUNT,
      linkedAccountName: 'production',
      region: 'us-east-1',
      service: 'Amazon Elastic Compute Cloud - Compute',
      usageType: 'BoxUsage:g5.2xlarge',
      impact: { contribution: 118 },
    },
  ],
  subscriptionId: '874c100c-59a6-4abb-a10a-4682cc3f2d69',
  subscriptionName: 'finops-daily',
});

/** The one event a message normalizes to, at the demo's simulated time. */
export function demoEvent(text: string, at = NOW): SpendEvent {
  const event = readInput(text, { now: () => new Date(at) }).events[0];
  if (!event) throw new Error('the demo message did not normalize');
  return event;
}

/** A Slack message as the runtime's Slack stand-in keeps it, rendered by the real renderer. */
export function demoSlackMessage(
  event: SpendEvent,
  enrichment: Enrichment | null,
  ts: string,
  threadTs?: string,
): DashboardSlackMessage {
  const rendered = renderSlackMessage({
    events: [{ event, enrichment }],
    receiver: slackReceiver,
    route: 'finops',
    groupKey: '{}',
  });
  return {
    ts,
    ...(threadTs && { thread_ts: threadTs }),
    channelName: slackReceiver.channel,
    ...rendered,
    receivedAt: new Date(Number(ts) * 1000).toISOString(),
  };
}

/** Fourteen days of May with a weekly dip and the anomaly's spike on the 12th. */
function demoSpend(): DashboardState['spend'] {
  const days = Array.from({ length: 14 }, (_, i) => `2026-05-${String(i + 1).padStart(2, '0')}`);
  const daily = days.map((day, i) => {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const base = 38 + i * 0.6 + (weekday === 0 || weekday === 6 ? -9 : 0);
    return Math.round((i === 11 ? base + 118 : base) * 100) / 100;
  });
  let sum = 0;
  const cumulative = daily.map((d) => (sum = Math.round((sum + d) * 100) / 100));
  return {
    days,
    daily,
    cumulative,
    budgets: [
      { name: 'web', limit: 500 },
      { name: 'org-total', limit: 1200 },
    ],
    forecast: 1408.6,
  };
}

/** A small bar chart like the digest's, so the fake can serve an image. */
function demoChartSvg(daily: number[]): string {
  const max = Math.max(1, ...daily);
  const bars = daily
    .map(
      (d, i) =>
        `<rect x="${10 + i * 20}" y="${110 - (d / max) * 90}" width="14" height="${(d / max) * 90}" fill="#2E90FA"/>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" viewBox="0 0 300 120"><rect width="300" height="120" fill="#fff"/>${bars}</svg>`;
}

/** The demo state: what the page shows two weeks into a simulated month. */
export function demoState(): DashboardState {
  const budget = demoEvent(budgetText('web', 500, 400, 412.37, 'May 11, 2026'), '2026-05-11T07:00:00Z');
  const budgetOver = demoEvent(budgetText('web', 500, 500, 532.9), '2026-05-14T07:00:00Z');
  const alarm = demoEvent(billingAlarm);
  const spike = demoEvent(anomaly);
  const enrich = (e: SpendEvent) => sampleEnrichment(e);
  const throttled: Enrichment = {
    ...sampleEnrichment(alarm),
    services: [],
    daily: [],
    forecast: null,
    unavailable: 'Cost Explorer throttled the request (ThrottlingException)',
  };
  const email = renderEmail({
    events: [{ event: budgetOver, enrichment: enrich(budgetOver) }],
    receiver: emailReceiver,
    route: 'finops',
    groupKey: '{}',
  });
  const [hook] = renderWebhookPayload(
    { events: [{ event: spike, enrichment: null }], receiver: webhookReceiver, route: 'incidents', groupKey: '{}' },
    { now: new Date('2026-05-14T08:02:11Z') },
  );

  const teams = renderTeamsMessage(
    { events: [{ event: alarm, enrichment: null }], receiver: teamsReceiver, route: 'platform', groupKey: '{}' },
    {},
  );

  return {
    clock: { now: NOW, speed: 1440, running: true },
    events: [
      { event: budget, enrichment: enrich(budget), publishedAt: '2026-05-11T07:00:02Z' },
      { event: spike, enrichment: enrich(spike), publishedAt: '2026-05-14T08:02:00Z' },
      { event: alarm, enrichment: throttled, publishedAt: '2026-05-14T06:13:15Z' },
      { event: budgetOver, enrichment: enrich(budgetOver), publishedAt: '2026-05-14T07:00:03Z' },
    ],
    slack: [
      demoSlackMessage(budget, enrich(budget), '1778482803.000100'),
      demoSlackMessage(spike, enrich(spike), '1778745721.000200'),
      demoSlackMessage(budgetOver, enrich(budgetOver), '1778742004.000300', '1778482803.000100'),
    ],
    emails: [
      {
        id: 'email-0001',
        to: emailReceiver.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        at: '2026-05-14T07:00:05Z',
      },
    ],
    webhooks: [
      { webhookId: 'msg_2xKq9d0b1Vw7', receivedAt: '2026-05-14T08:02:11Z', verified: true, status: 204, json: hook },
      {
        webhookId: 'msg_2xKq9d0b1Vw8',
        receivedAt: '2026-05-14T08:02:12Z',
        verified: false,
        verifyError: 'No matching signature found',
        status: 401,
        json: hook,
      },
    ],
    teams: [
      {
        receivedAt: '2026-05-14T06:13:20Z',
        workflow: 'PlatformTeamsWorkflowUrl',
        status: 202,
        kind: teams.spendAlerts.kind,
        receiver: teams.spendAlerts.receiver,
        eventIds: teams.spendAlerts.eventIds,
        body: teams.attachments[0]!.content.body,
        actions: teams.attachments[0]!.content.actions,
      },
    ],
    dlq: [
      {
        channel: 'slack',
        messageId: '5f0c1d7e-9a51-4c1b-8f43-0c1e2b7a9d10',
        reason: 'permanent',
        failure: 'channel_not_found: #eng-costs',
        receiver: 'eng-slack',
        excerpt: budgetText('eng', 300, 240, 251.1).slice(0, 120),
      },
    ],
    digests: [
      {
        receiver: 'finops-weekly',
        channel: 'email',
        periodKey: '2026-W19',
        at: '2026-05-11T09:00:00Z',
        chartUrl: DEMO_CHART,
      },
    ],
    deliveries: { slack: 3, email: 1, webhook: 2, teams: 0 },
    spend: demoSpend(),
  };
}

// Served by hand: a clock that moves, and a new day of spend every few seconds.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { startDashboard } = await import('./server.ts');
  const source = new FakeDashboardSource();
  const { url, notice } = await startDashboard(source, { port: Number(process.env.PORT ?? 4848) });
  console.log(notice ?? '', `dashboard (fake data): ${url}`);
  setInterval(async () => {
    const { clock } = await source.snapshot();
    source.push({ type: 'clock', data: { ...clock, now: new Date(Date.parse(clock.now) + 3_600_000).toISOString() } });
  }, 2000);
}
