import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { parse as yamlParse } from 'yaml';
import { loadConfig, type Config } from '@spend-alerts/core';
import { isHeartbeatText } from '@spend-alerts/functions';
import { CHANNELS, type Channel } from '@spend-alerts/stacks/spec';
import { createSpendModel, type SpendModel } from '../sim/spend-model.ts';
import { startCostExplorer, type CostExplorerStandIn } from '../standins/cost-explorer.ts';
import { SIM_CLOCK_ENV, simClock, speedFor, type SimClockSpec } from './clock.ts';
import { startConsumer, type ConsumerProcess } from './consumers.ts';
import { localizeConfig, secretNames } from './localize.ts';
import { runSimulation, simulatedDays, type Published } from './simulation.ts';
import { startLocalStack, type LocalStack } from './stack.ts';
import { summarize, type RunSummary } from './summary.ts';
import { startTopicTap } from './tap.ts';
import { startDigestSchedule, startWatchdogSchedule } from './digest-schedule.ts';
import { LocalDashboardSource } from '../dashboard/local-source.ts';
import { startDashboard } from '../dashboard/server.ts';

export interface LocalPipelineOptions {
  /** The user's config (the example by default). */
  configPath: string;
  /** The simulated month, YYYY-MM (default: the current month). */
  month?: string;
  /** Real seconds the simulated month takes (default 60). */
  monthSeconds?: number;
  /** Where the local state file (endpoints for `spend-alerts send` and `dlq`) is written. */
  stateDir: string;
  /** Receives each consumer log line (JSON), for printing deliveries. */
  onLog?: (line: Record<string, unknown>, channel: Channel) => void;
  onPublish?: (p: Published) => void;
  faults?: { deliverTwice?: boolean; dropOneSlackMessage?: boolean };
  /** False: the simulated account publishes nothing, and the month passes with the schedules alone. */
  simulate?: boolean;
  /** The dashboard's port; false for none. */
  dashboardPort?: number | false;
}

export interface LocalPipeline {
  config: Config;
  localConfig: Config;
  model: SpendModel;
  stack: LocalStack;
  costExplorer: CostExplorerStandIn;
  clock: ReturnType<typeof simClock>;
  consumers: Record<Channel, ConsumerProcess>;
  published: Published[];
  /** Every message published to the topic (simulated or sent with `spend-alerts send`), as text. */
  messages: string[];
  /** Resolves when the simulated month (and the next month's 1st) has been published. */
  simulationDone: Promise<void>;
  /** Resolves when every queue is empty and the consumers have been quiet for a moment. */
  drained(timeoutMs?: number): Promise<void>;
  summary(): Promise<RunSummary & { lostPairs: string[] }>;
  costExplorerRequests(): number;
  /** The dashboard's URL, when it runs. */
  dashboardUrl?: string;
  /** Runs the digest schedule once at the current simulated time (the end of a run). */
  runDigestsNow?: () => Promise<void>;
  /** Runs the watchdog's check now: what it finds wrong with the pipeline (nothing, in a healthy run). */
  watchdogFindings(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The whole pipeline on this machine: the topology from `stacks/spec.ts` on stand-ins that speak
 * the AWS protocols, the three consumers as their own processes running the Lambda handler
 * modules, and a simulated account whose spend crosses the config's budgets and alarms, publishing
 * what AWS would publish.
 */
export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const config = loadConfig(readFileSync(options.configPath, 'utf8'), options.configPath);
  const month = options.month ?? new Date().toISOString().slice(0, 7);
  const model = createSpendModel({ month });
  const days = simulatedDays(month);
  const simStart = Date.parse(`${days[0]}T00:00:00Z`);
  const span = Date.parse(`${days.at(-1)}T12:00:00Z`) - simStart;
  const spec: SimClockSpec = {
    simStart,
    realStart: Date.now(),
    speed: speedFor(span, (options.monthSeconds ?? 60) * 1000),
  };
  const clock = simClock(spec);

  const trace = (step: string) => process.env.SPEND_ALERTS_DEBUG && process.stderr.write(`spend-alerts: ${step}\n`);
  trace('starting the Cost Explorer stand-in');
  const costExplorer = await startCostExplorer({
    model,
    clock: () => clock.now(),
    budgets: config.budgets,
    accountId: model.payerAccountId,
  });
  trace('starting the AWS stand-ins');
  const stack = await startLocalStack({ secretNames: secretNames(config), costExplorerUrl: costExplorer.url });
  const localConfig = localizeConfig(config, stack.webhook.url);
  mkdirSync(options.stateDir, { recursive: true });
  const localConfigPath = join(options.stateDir, 'config.local.json');
  writeFileSync(localConfigPath, JSON.stringify(toInput(localConfig, options.configPath)));
  writeFileSync(
    join(options.stateDir, 'local.json'),
    JSON.stringify(
      {
        topicArn: stack.topicArn,
        endpoint: stack.snsSqsUrl,
        queues: stack.queues,
        dynamoUrl: stack.dynamoUrl,
        tableName: stack.tableName,
        pid: process.pid,
      },
      null,
      2,
    ),
  );
  // The drop fault: the first alert Slack accepted vanishes from the channel, as a delivery lost on
  // the way would; the run's summary must notice it.
  let dropped = !options.faults?.dropOneSlackMessage;
  const dropFirstSlackAlert = (line: Record<string, unknown>, channel: Channel) => {
    if (dropped || channel !== 'slack' || line.msg !== 'record outcome' || line.outcome !== 'delivered') return;
    const messages = stack.slack.messages;
    const index = messages.findIndex((m) =>
      String(
        (m.metadata as { event_payload?: { event_ids?: string } } | undefined)?.event_payload?.event_ids ?? '',
      ).includes(String(line.eventId)),
    );
    if (index >= 0) {
      messages.splice(index, 1);
      dropped = true;
    }
  };

  const env = stack.env({
    SPEND_ALERTS_CONFIG: localConfigPath,
    [SIM_CLOCK_ENV]: JSON.stringify(spec),
    SPEND_ALERTS_BATCH_WINDOW: '0',
    ...(options.faults?.deliverTwice ? { SPEND_ALERTS_FAULT_DELIVER_TWICE: '1' } : {}),
  });
  trace('starting the consumers');
  const consumers = {} as Record<Channel, ConsumerProcess>;
  let lastActivity = Date.now();
  for (const channel of CHANNELS) {
    consumers[channel] = startConsumer(
      channel,
      env,
      (line, ch) => {
        lastActivity = Date.now();
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          dropFirstSlackAlert(parsed, ch);
          options.onLog?.(parsed, ch);
        } catch {
          options.onLog?.({ level: 'info', msg: line }, ch);
        }
      },
      { meter: stack.meter },
    );
  }

  const published: Published[] = [];
  const messages: string[] = [];
  const abort = new AbortController();
  let source: LocalDashboardSource | undefined;
  // Every message that reaches the topic, whoever published it, for the dashboard and the summary.
  trace('subscribing the dashboard tap');
  const tap = await startTopicTap(stack, (message) => {
    if (isHeartbeatText(message)) return; // the pipeline's own, not an alert
    messages.push(message);
    source?.published(message, clock.now());
  });
  const simulationDone =
    options.simulate === false
      ? untilDay(clock, days.at(-1)!, abort.signal)
      : runSimulation({
          config,
          model,
          clock,
          sns: stack.publisher,
          topicArn: stack.topicArn,
          days,
          accountId: model.payerAccountId,
          signal: abort.signal,
          onPublish: (p) => {
            published.push(p);
            options.onPublish?.(p);
          },
        });

  // The hourly digest schedule, on the simulated clock, in this process (it is the same function
  // the CronV2 schedule invokes in the cloud).
  const digests = await startDigestSchedule({
    env,
    clock,
    meter: stack.meter,
    onLog: (line) => options.onLog?.(line, 'email'),
  });
  const watchdog = startWatchdogSchedule({ env, clock, meter: stack.meter });
  // The schedules run for the simulated month, so that a run meters one month of them; the watchdog's
  // daily heartbeat would otherwise keep the consumers busy every simulated day, for ever.
  void simulationDone.finally(() => Promise.all([watchdog.stop(), digests.stop()])).catch(() => undefined);

  const ceRequests = () => costExplorer.requests.filter((r) => r.target.startsWith('AWSInsightsIndexService.')).length;
  const pipeline: LocalPipeline = {
    config,
    localConfig,
    model,
    stack,
    costExplorer,
    clock,
    consumers,
    published,
    messages,
    simulationDone,
    costExplorerRequests: ceRequests,
    async drained(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const depths = await Promise.all(CHANNELS.map((c) => stack.depth(stack.queues[c].url)));
        const empty = depths.every((d) => d.visible + d.inFlight + d.delayed === 0);
        if (empty && Date.now() - lastActivity > 1500) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('the local queues did not drain in time');
    },
    summary: async () => {
      await tap.caughtUp();
      return summarize({
        config: localConfig,
        published: messages,
        stack,
        costExplorerRequests: ceRequests(),
        watchdog: await watchdog.check(),
      });
    },
    runDigestsNow: () => digests.runNow(),
    watchdogFindings: () => watchdog.check(),
    async close() {
      abort.abort();
      await digests.stop();
      await watchdog.stop();
      source?.stop();
      await dashboard?.close();
      await tap.stop();
      await simulationDone.catch(() => undefined);
      await Promise.all(Object.values(consumers).map((c) => c.stop()));
      await stack.close();
      await costExplorer.close();
    },
  };
  let dashboard: { url: string; close(): Promise<void> } | undefined;
  if (options.dashboardPort !== false) {
    source = new LocalDashboardSource(pipeline);
    source.start();
    trace('starting the dashboard');
    dashboard = await startDashboard(source, { port: options.dashboardPort ?? 4200 });
    pipeline.dashboardUrl = dashboard.url;
  }
  trace('ready');
  return pipeline;
}

/**
 * The user's file as written, with webhook receivers pointed at the local receiver: what the
 * consumers load and validate, exactly as a deployed function loads the bundled config.
 */
function toInput(config: Config, source: string): unknown {
  const original = yamlParse(readFileSync(resolve(source), 'utf8')) as Record<string, unknown>;
  const receivers = (original.receivers as Array<Record<string, unknown>>).map((r) => {
    const local = config.receivers.find((l) => l.name === r.name);
    return r.type === 'webhook' && local?.type === 'webhook'
      ? { ...r, url: local.url, urlSecret: undefined, allowPrivateNetwork: true }
      : r;
  });
  return { ...original, receivers };
}

/** Resolves when the simulated clock reaches the hour the simulation would publish on `day`. */
async function untilDay(clock: ReturnType<typeof simClock>, day: string, signal: AbortSignal): Promise<void> {
  const due = Date.parse(`${day}T06:00:00Z`);
  while (clock.now().getTime() < due && !signal.aborted)
    await new Promise((r) => setTimeout(r, Math.max(5, Math.min(250, clock.realDelayMs(due - clock.now().getTime())))));
}
