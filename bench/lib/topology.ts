/**
 * The deployed topology on this machine, for the bench and the fault suites: the stand-ins of
 * `startLocalStack` (SNS/SQS, DynamoDB, SES, Slack, webhook receiver) plus the Cost Explorer
 * stand-in in this process, and the channel consumers as their own Node processes running the
 * Lambda handler modules (`startConsumer`), configured only through their environment, as a
 * deployed function is. Optional wire proxies sit between the consumers and SQS / DynamoDB.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { loadConfig, type Config } from '@spend-alerts/core';
import { CHANNELS, type Channel } from '@spend-alerts/stacks/spec';
import { SIM_CLOCK_ENV, simClock, type SimClockSpec } from '@spend-alerts/local/runtime/clock.ts';
import { startConsumer, type ConsumerProcess } from '@spend-alerts/local/runtime/consumers.ts';
import { secretNames } from '@spend-alerts/local/runtime/localize.ts';
import { startLocalStack, type LocalStack } from '@spend-alerts/local/runtime/stack.ts';
import { createSpendModel } from '@spend-alerts/local/sim/spend-model.ts';
import { startCostExplorer, type CostExplorerStandIn } from '@spend-alerts/local/standins/cost-explorer.ts';
import { startWireProxy, type WireProxy } from './wire-proxy.ts';

/** Simulated "now" of every run: mid-month, so month to date and the forecast both exist, whatever today is. */
export const BENCH_NOW = '2026-06-15T10:00:00.000Z';

export interface TopologyOptions {
  /** The config as YAML; `{{webhookUrl}}` becomes the local receiver's URL. */
  configYaml: string;
  /** Start the Cost Explorer / Budgets stand-in (and point enrichment at it). Default true. */
  costExplorer?: boolean;
  /** Simulated ms per real ms of the consumers' clock (default 1: real time, anchored at BENCH_NOW). */
  speed?: number;
  /**
   * Time compression for the fault suites: the consumers reach SQS through a proxy that caps
   * `VisibilityTimeout` of ReceiveMessage at `receiveS` and of ChangeMessageVisibility (backoff)
   * at `backoffS`, so a killed consumer's batch and retries come back in seconds.
   */
  sqsTime?: { receiveS: number; backoffS: number };
  /** Put a counting proxy between the consumers and DynamoDB. */
  countDynamo?: boolean;
  /** Put a proxy between the consumers and SES that shows each answer (and its request) before the consumer sees it. */
  observeSes?: (status: number, body: string, request: { path: string; body: string }) => void;
  /** Consumers gather a batch for this long (default 0: whatever is there). */
  batchWindowSeconds?: number;
}

export interface Topology {
  stack: LocalStack;
  ce: CostExplorerStandIn | null;
  config: Config;
  configPath: string;
  clock: ReturnType<typeof simClock>;
  /** DynamoDB answers `ConditionalCheckFailedException` seen on the consumers' wire. */
  conditionalCheckFailures(): number;
  /** Requests the consumers made to SQS through the time proxy, by operation. */
  sqsCalls(): Map<string, number>;
  /** Requests the consumers made to DynamoDB through the counting proxy, by operation. */
  dynamoCalls(): Map<string, number>;
  /** The consumers' environment (SST links, endpoints, the clock), with extra variables. */
  consumerEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Starts `count` consumer processes for a channel; their JSON log lines go to `onLine`. */
  startConsumers(
    channel: Channel,
    count?: number,
    extraEnv?: NodeJS.ProcessEnv,
    onLine?: (line: string) => void,
  ): ConsumerProcess[];
  readonly consumers: ConsumerProcess[];
  /** Real ms of the last consumer log line. */
  lastActivity(): number;
  /**
   * Publishes messages with PublishBatch (10 per call) and returns when each batch was sent
   * (epoch ms just before its call, by message index).
   */
  publish(
    messages: string[],
    options?: { concurrency?: number; ratePerSec?: number },
  ): Promise<{ sentAt: number[]; messageIds: string[] }>;
  /** Every channel queue is empty (visible, in flight, delayed) and the consumers have been quiet for `quietMs`. */
  drained(timeoutMs?: number, quietMs?: number, channels?: readonly Channel[]): Promise<void>;
  close(): Promise<void>;
}

export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const simStart = Date.parse(BENCH_NOW);
  const clockSpec: SimClockSpec = { simStart, realStart: Date.now(), speed: options.speed ?? 1 };
  const clock = simClock(clockSpec);
  const dir = mkdtempSync(join(tmpdir(), 'sa-bench-'));
  const configPath = join(dir, 'spend-alerts.config.yaml');
  // Validate before starting anything: the secret names the stack must provide come from it.
  const draft = loadConfig(
    options.configYaml.replaceAll('{{webhookUrl}}', 'http://127.0.0.1:9/webhook'),
    'bench config',
  );
  const model = createSpendModel({ month: BENCH_NOW.slice(0, 7) });
  const ce =
    options.costExplorer === false
      ? null
      : await startCostExplorer({
          model,
          clock: () => clock.now(),
          budgets: draft.budgets,
          accountId: model.payerAccountId,
        });
  const stack = await startLocalStack({ secretNames: secretNames(draft), costExplorerUrl: ce?.url });
  writeFileSync(configPath, options.configYaml.replaceAll('{{webhookUrl}}', stack.webhook.url));
  const config = loadConfig(readFileSync(configPath, 'utf8'), configPath);

  let conditionalFailures = 0;
  const proxies: WireProxy[] = [];
  let sqsProxy: WireProxy | null = null;
  if (options.sqsTime) {
    const { receiveS, backoffS } = options.sqsTime;
    sqsProxy = await startWireProxy({
      target: stack.snsSqsUrl,
      rewrite: (operation, body) => {
        const v = body.VisibilityTimeout;
        if (typeof v !== 'number') return body;
        if (operation === 'ReceiveMessage') return { ...body, VisibilityTimeout: Math.min(v, receiveS) };
        if (operation === 'ChangeMessageVisibility') return { ...body, VisibilityTimeout: Math.min(v, backoffS) };
        return body;
      },
    });
    proxies.push(sqsProxy);
  }
  let dynamoProxy: WireProxy | null = null;
  if (options.countDynamo) {
    dynamoProxy = await startWireProxy({
      target: stack.dynamoUrl,
      observe: (_operation, status, body) => {
        if (status === 400 && body.includes('ConditionalCheckFailedException')) conditionalFailures++;
      },
    });
    proxies.push(dynamoProxy);
  }

  let sesProxy: WireProxy | null = null;
  if (options.observeSes) {
    const observe = options.observeSes;
    sesProxy = await startWireProxy({
      target: stack.sesUrl,
      observe: (_operation, status, body, request) => observe(status, body, request),
    });
    proxies.push(sesProxy);
  }

  const consumers: ConsumerProcess[] = [];
  // Consumers are their own processes: if this one ends without close(), they must not live on.
  const killAll = () => {
    for (const c of consumers) {
      try {
        if (c.pid) process.kill(c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killAll);
  let lastActivity = Date.now();
  const consumerEnv = (extra: NodeJS.ProcessEnv = {}) =>
    stack.env({
      SPEND_ALERTS_CONFIG: configPath,
      [SIM_CLOCK_ENV]: JSON.stringify(clockSpec),
      SPEND_ALERTS_BATCH_WINDOW: String(options.batchWindowSeconds ?? 0),
      // A Lambda runs without a TTY; keep the SDK's Node 20 notice out of the logs.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      NODE_NO_WARNINGS: '1',
      ...(sqsProxy ? { AWS_ENDPOINT_URL_SQS: sqsProxy.url } : {}),
      // Compressed SQS time: a delivery claim must expire before a killed consumer's records come back, as on AWS
      // (claims last the function timeout; records come back after the visibility timeout, six times that),
      // and outlast a live holder's send (a Slack 429 is waited out in process).
      ...(options.sqsTime
        ? { SPEND_ALERTS_DELIVERY_LEASE_MS: String(Math.max(1000, options.sqsTime.receiveS * 800)) }
        : {}),
      ...(dynamoProxy ? { AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy.url } : {}),
      ...(sesProxy ? { AWS_ENDPOINT_URL_SESV2: sesProxy.url } : {}),
      ...extra,
    });

  return {
    stack,
    ce,
    config,
    configPath,
    clock,
    conditionalCheckFailures: () => conditionalFailures,
    sqsCalls: () => sqsProxy?.calls ?? new Map(),
    dynamoCalls: () => dynamoProxy?.calls ?? new Map(),
    consumerEnv,
    consumers,
    lastActivity: () => lastActivity,
    startConsumers(channel, count = 1, extraEnv = {}, onLine) {
      const started: ConsumerProcess[] = [];
      for (let i = 0; i < count; i++) {
        const c = startConsumer(channel, consumerEnv(extraEnv), (line) => {
          lastActivity = Date.now();
          onLine?.(line);
        });
        consumers.push(c);
        started.push(c);
      }
      return started;
    },
    async publish(messages, { concurrency = 1, ratePerSec } = {}) {
      const sentAt = new Array<number>(messages.length).fill(0);
      const messageIds = new Array<string>(messages.length).fill('');
      const batches: number[] = [];
      for (let i = 0; i < messages.length; i += 10) batches.push(i);
      const begin = Date.now();
      let next = 0;
      const worker = async () => {
        while (next < batches.length) {
          const b = next++;
          const i = batches[b]!;
          if (ratePerSec) {
            const due = begin + (i / ratePerSec) * 1000;
            const wait = due - Date.now();
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          }
          const at = Date.now();
          const entries = messages.slice(i, i + 10);
          for (let j = 0; j < entries.length; j++) sentAt[i + j] = at;
          const out = await stack.sns.send(
            new PublishBatchCommand({
              TopicArn: stack.topicArn,
              PublishBatchRequestEntries: entries.map((Message, j) => ({ Id: String(j), Message })),
            }),
          );
          if (out.Failed?.length)
            throw new Error(
              `publish failed for ${out.Failed.length} messages: ${out.Failed.map((f) => f.Code).join(', ')}`,
            );
          for (const s of out.Successful ?? []) messageIds[i + Number(s.Id)] = s.MessageId ?? '';
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return { sentAt, messageIds };
    },
    async drained(timeoutMs = 120_000, quietMs = 1500, channels = CHANNELS) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const depths = await Promise.all(channels.map((c) => stack.depth(stack.queues[c].url)));
        if (depths.every((d) => d.visible + d.inFlight + d.delayed === 0) && Date.now() - lastActivity > quietMs)
          return;
        await new Promise((r) => setTimeout(r, 200));
      }
      const depths = await Promise.all(
        channels.map(async (c) => `${c}: ${JSON.stringify(await stack.depth(stack.queues[c].url))}`),
      );
      throw new Error(`the queues did not drain in ${timeoutMs} ms (${depths.join('; ')})`);
    },
    async close() {
      await Promise.all(consumers.map((c) => c.stop()));
      process.off('exit', killAll);
      for (const p of proxies) await p.close();
      await stack.close();
      await ce?.close();
    },
  };
}

/** Peak resident set (VmHWM) and current RSS of a process, in MB, from /proc; null where /proc is missing. */
export function processMemoryMb(pid: number | undefined): { peakMb: number; rssMb: number } | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}
