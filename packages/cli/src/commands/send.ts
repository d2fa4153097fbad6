import { isProcessAlive } from '@spend-alerts/local';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { paginateListTopics, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { awsClientConfig, type AwsServiceId } from '@spend-alerts/adapters';
import { readInput, type SpendEvent } from '@spend-alerts/core';
import { heartbeatMessage } from '@spend-alerts/functions/pipeline/heartbeat.ts';
import { LOCAL_CREDENTIALS, type QueuePair } from '@spend-alerts/local/runtime/stack.ts';
import {
  billingAlarmMessage,
  budgetNotification,
  type PublishedMessage,
} from '@spend-alerts/local/sim/notifications.ts';
import { toCents } from '@spend-alerts/local/sim/cents.ts';
import type { SpendModel } from '@spend-alerts/local/sim/spend-model.ts';
import { spec, type Channel } from '@spend-alerts/stacks/spec';
import type { Command } from '../command.ts';
import { CliError, type Io } from '../io.ts';

/** What the local runtime writes to `.spend-alerts/local.json` for `send` and `dlq`. */
export interface LocalPipelineState {
  topicArn: string;
  endpoint: string;
  queues: Record<Channel, QueuePair>;
  pid?: number;
}

export const NO_LOCAL_PIPELINE = 'no local pipeline: start it with npm start, or give --topic-arn';

/** The running local pipeline's endpoints, or null when none runs from this directory. */
export function readLocalPipeline(io: Io): LocalPipelineState | null {
  const path = resolve(io.cwd, '.spend-alerts', 'local.json');
  if (!existsSync(path)) return null;
  let state: Partial<LocalPipelineState>;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as Partial<LocalPipelineState>;
  } catch {
    return null;
  }
  if (typeof state.topicArn !== 'string' || typeof state.endpoint !== 'string' || typeof state.queues !== 'object')
    return null;
  // The file outlives the pipeline that wrote it: a stopped pipeline is no pipeline.
  if (typeof state.pid === 'number' && !isProcessAlive(state.pid)) return null;
  return state as LocalPipelineState;
}

/**
 * SDK client settings: a given endpoint (a local stand-in) with the environment's credentials or
 * the stand-ins' dummy ones, else AWS itself through the standard credential chain.
 */
export function clientConfig(
  io: Io,
  service: AwsServiceId,
  target: { endpoint?: string | undefined; region?: string | undefined },
) {
  const base = awsClientConfig(io.env, service, target.region);
  return target.endpoint
    ? { ...base, endpoint: target.endpoint, credentials: base.credentials ?? LOCAL_CREDENTIALS }
    : base;
}

/** Turns an SDK failure into a message that says what was being done; the process exits 1. */
export function awsFailure(doing: string, error: unknown): CliError {
  const e = error as { name?: string; message?: string; code?: string };
  const why =
    e.code === 'ECONNREFUSED'
      ? 'nothing answers there (has the pipeline stopped?)'
      : `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
  return Object.assign(new CliError(`${doing} failed: ${why}`, 1), { cause: error });
}

export const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([\w-]{1,256})$/;

/** Parses a number option; `undefined` when absent. */
function numberOption(values: Record<string, unknown>, name: string, min = 0): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || n < min)
    throw new CliError(`--${name} must be a number of at least ${min}, not "${String(raw)}"`);
  return n;
}

type Kind = 'budget' | 'billing-alarm' | 'anomaly';
const KIND_OPTIONS: Record<Kind, readonly string[]> = {
  budget: ['name', 'amount', 'limit', 'threshold', 'account', 'forecast'],
  'billing-alarm': ['name', 'amount', 'threshold', 'account', 'service', 'state'],
  anomaly: ['name', 'amount', 'account', 'service'],
};
const MESSAGE_OPTIONS = [...new Set(Object.values(KIND_OPTIONS).flat())];
type Values = Record<string, string | boolean | string[] | undefined>;
/** A message checked against its options, made once the owner account and topic are known. */
type Builder = (account: string, topicArn: string) => PublishedMessage;

/** A Budgets notification; a stand-in spend model states exactly the amount asked for. */
function budget(values: Values, now: Date): Builder {
  const limit = numberOption(values, 'limit', 0.01) ?? 1000;
  const threshold = numberOption(values, 'threshold', 0.01) ?? 80;
  const type = values.forecast ? 'FORECASTED' : 'ACTUAL';
  const thresholdUsd = (limit * threshold) / 100;
  const amount = numberOption(values, 'amount') ?? Math.round(limit * (threshold + 5)) / 100;
  if (toCents(amount) <= toCents(thresholdUsd))
    throw new CliError(
      `--amount ${amount} is not above the alert threshold (${threshold}% of ${limit} = ${thresholdUsd}): AWS Budgets would not notify`,
    );
  const stated = {
    periodToDate: () => toCents(amount),
    forecastPeriodEnd: () => toCents(amount),
  } as Partial<SpendModel> as SpendModel;
  const day = now.toISOString().slice(0, 10);
  return (account) =>
    budgetNotification(
      { name: String(values.name ?? 'monthly-total'), limit },
      { type, thresholdPercent: threshold },
      day,
      stated,
      account,
    );
}

function billingAlarm(values: Values, now: Date): Builder {
  const state = String(values.state ?? 'ALARM').toUpperCase();
  if (state !== 'ALARM' && state !== 'OK')
    throw new CliError(`--state must be ALARM or OK, not "${String(values.state)}"`);
  const threshold = numberOption(values, 'threshold', 0.01) ?? 1000;
  const amount = numberOption(values, 'amount') ?? Math.round(threshold * (state === 'ALARM' ? 105 : 95)) / 100;
  if ((state === 'ALARM') !== amount > threshold)
    throw new CliError(
      `--amount ${amount} ${state === 'ALARM' ? 'is not above' : 'is above'} --threshold ${threshold}: the alarm would not be in ${state}`,
    );
  const service = values.service as string | undefined;
  const name = String(values.name ?? `estimated-charges${service ? `-${service}` : ''}-over-${threshold}`);
  const time = now.toISOString().slice(11, 23);
  return (accountId, topicArn) =>
    billingAlarmMessage({ name, threshold, service }, state, now.toISOString().slice(0, 10), toCents(amount), {
      accountId,
      topicArn,
      time,
    });
}

/** A Cost Anomaly Detection alert in the current SNS form (key order of sim/anomaly-message.ts). */
function anomaly(values: Values, now: Date): Builder {
  const impact = numberOption(values, 'amount', 0.01) ?? 250;
  const service = String(values.service ?? 'Amazon Elastic Compute Cloud - Compute');
  const day = (offset: number) =>
    `${new Date(Date.parse(now.toISOString().slice(0, 10)) + offset * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`;
  const [anomalyId, monitorId] = [randomUUID(), randomUUID()];
  const expected = Math.round(impact * 200) / 100;
  return (account) => ({
    subject: null,
    message: JSON.stringify({
      accountId: account,
      accountName: account,
      anomalyStartDate: day(-2),
      anomalyEndDate: day(0),
      anomalyId,
      dimensionalValue: service,
      monitorArn: `arn:aws:ce::${account}:anomalymonitor/${monitorId}`,
      monitorName: String(values.name ?? 'spend-alerts-services'),
      monitorType: 'DIMENSIONAL',
      anomalyScore: { maxScore: 0.82, currentScore: 0.82 },
      impact: {
        maxImpact: Math.round(impact * 60) / 100,
        totalExpectedSpend: expected,
        totalActualSpend: Math.round((expected + impact) * 100) / 100,
        totalImpact: impact,
        totalImpactPercentage: 50,
      },
      rootCauses: [
        {
          service,
          region: 'us-east-1',
          linkedAccount: account,
          linkedAccountName: account,
          impact: { contribution: impact },
        },
      ],
      anomalyDetailsLink: `https://console.aws.amazon.com/cost-management/home#/anomaly-detection/monitors/${monitorId}/anomalies/${anomalyId}`,
      subscriptionId: randomUUID(),
      subscriptionName: 'spend-alerts-immediate',
    }),
  });
}

/** Where to publish: a real topic (`--topic-arn`), a topic on `--endpoint`, or the local pipeline's. */
async function target(values: Values, io: Io): Promise<{ sns: SNSClient; topicArn: string }> {
  const endpoint = values.endpoint as string | undefined;
  const given = values['topic-arn'] as string | undefined;
  if (given !== undefined) {
    const region = TOPIC_ARN.exec(given)?.[1];
    if (!region) throw new CliError(`--topic-arn "${given}" is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)`);
    if (values.region !== undefined && values.region !== region)
      throw new CliError(`--region ${String(values.region)} does not match the topic's region ${region}`);
    return { sns: new SNSClient(clientConfig(io, 'SNS', { endpoint, region })), topicArn: given };
  }
  const local = readLocalPipeline(io);
  if (local && !endpoint)
    return {
      sns: new SNSClient(
        clientConfig(io, 'SNS', { endpoint: local.endpoint, region: TOPIC_ARN.exec(local.topicArn)?.[1] }),
      ),
      topicArn: local.topicArn,
    };
  if (!endpoint) throw new CliError(NO_LOCAL_PIPELINE);
  const sns = new SNSClient(clientConfig(io, 'SNS', { endpoint, region: values.region as string | undefined }));
  let found: string | undefined;
  try {
    for await (const page of paginateListTopics({ client: sns }, {}))
      found ??= page.Topics?.find((t) => t.TopicArn?.endsWith(`:${spec.topic.name}`))?.TopicArn;
  } catch (error) {
    throw awsFailure(`listing the topics at ${endpoint}`, error);
  }
  if (!found) throw new CliError(`no ${spec.topic.name} topic at ${endpoint}: give --topic-arn`, 1);
  return { sns, topicArn: found };
}

/** The event the pipeline will make of the message; a message that would not normalize cleanly is a bug here. */
function expectedEvent(message: string, kind: Kind): SpendEvent {
  const event = readInput(message).events[0];
  if (event?.kind !== kind || event.diagnostics.length) {
    throw new CliError(
      `the ${kind} message built would not normalize cleanly (${event ? `${event.kind}: ${event.diagnostics.join('; ')}` : 'no event'})`,
      1,
    );
  }
  return event;
}

const USAGE = `spend-alerts send budget|billing-alarm|anomaly [--name N] [--amount X] [--limit X] [--threshold X] [--account ID] [--service S] [--state ALARM|OK] [--forecast] [--endpoint URL | --topic-arn ARN] [--region R]
       spend-alerts send --heartbeat [--endpoint URL | --topic-arn ARN] [--region R]`;

export const sendCommand: Command = {
  name: 'send',
  summary: 'Publish a realistic test notification (Budgets, billing alarm, anomaly) or a heartbeat to the topic.',
  usage: USAGE,
  details: `Builds the message AWS would publish, in its exact format, and publishes it to the local
pipeline's topic (.spend-alerts/local.json, written by npm start), or to a real topic with
--topic-arn using the standard AWS credential chain. Prints the SNS message id and the id of the
event the pipeline will make of it. The same budget notification sent twice on one day is one
event, delivered once: change --amount to send another.

kinds and their options:
  budget          --name (default monthly-total), --limit USD (1000), --threshold PERCENT (80),
                  --amount USD (5 points above the threshold), --forecast (a FORECASTED alert)
  billing-alarm   --name, --threshold USD (1000), --amount USD (the EstimatedCharges datapoint),
                  --service CODE (the ServiceName dimension, e.g. AmazonEC2), --state ALARM|OK
  anomaly         --amount USD (total impact, 250), --service NAME (Cost Explorer's service name),
                  --name (the monitor's name)
  every kind      --account ID (the account that owns it; default: the topic's account)

options:
  --heartbeat        publish the pipeline's heartbeat instead of an alert
  --topic-arn ARN    a real topic; its region is the ARN's
  --endpoint URL     an SNS endpoint (an emulator); with no --topic-arn, its ${spec.topic.name} topic
  --region R         the region with --endpoint (default us-east-1)`,
  options: {
    heartbeat: { type: 'boolean' },
    name: { type: 'string' },
    amount: { type: 'string' },
    limit: { type: 'string' },
    threshold: { type: 'string' },
    account: { type: 'string' },
    service: { type: 'string' },
    state: { type: 'string' },
    forecast: { type: 'boolean' },
    endpoint: { type: 'string' },
    'topic-arn': { type: 'string' },
    region: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [kind, ...extra] = positionals;
    if (extra.length) throw new CliError(`unexpected arguments: ${extra.join(' ')}\nusage: ${USAGE}`);
    if (values.heartbeat && kind) throw new CliError('give a kind or --heartbeat, not both');
    if (!values.heartbeat && !kind)
      throw new CliError(`give a kind (budget, billing-alarm, anomaly) or --heartbeat\nusage: ${USAGE}`);
    if (kind && !(kind in KIND_OPTIONS))
      throw new CliError(`unknown kind "${kind}" (kinds: ${Object.keys(KIND_OPTIONS).join(', ')})`);
    const allowed = values.heartbeat ? [] : KIND_OPTIONS[kind as Kind];
    const misplaced = MESSAGE_OPTIONS.filter((o) => values[o] !== undefined && !allowed.includes(o));
    if (misplaced.length) throw new CliError(`--${misplaced[0]} does not apply to ${kind ?? '--heartbeat'}`);
    const account = values.account as string | undefined;
    if (account !== undefined && !/^\d{12}$/.test(account))
      throw new CliError(`--account must be a 12-digit account id, not "${account}"`);

    const now = new Date();
    const build: Builder =
      kind === 'budget'
        ? budget(values, now)
        : kind === 'billing-alarm'
          ? billingAlarm(values, now)
          : kind === 'anomaly'
            ? anomaly(values, now)
            : () => ({ subject: null, message: heartbeatMessage(now) });
    const { sns, topicArn } = await target(values, io);
    try {
      const built = build(account ?? TOPIC_ARN.exec(topicArn)?.[2] ?? '000000000000', topicArn);
      const event = kind ? expectedEvent(built.message, kind as Kind) : null;
      const out = await sns
        .send(
          new PublishCommand({
            TopicArn: topicArn,
            Message: built.message,
            ...(built.subject ? { Subject: built.subject } : {}),
          }),
        )
        .catch((e: unknown) => Promise.reject(awsFailure(`publishing to ${topicArn}`, e)));
      io.stdout(`published ${kind ?? 'heartbeat'} to ${topicArn}\nSNS message id: ${out.MessageId}\n`);
      io.stdout(event ? `event id: ${event.id}\n${event.title}\n` : `heartbeat at ${JSON.parse(built.message).at}\n`);
      return 0;
    } finally {
      sns.destroy();
    }
  },
};
