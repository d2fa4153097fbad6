/**
 * Publish-to-delivery through the local pipeline against the bare transport, the same traffic
 * side by side in one run. Both use the deployed topology (SNS topic → one SQS queue per channel)
 * and the same consumer processes and poller (Lambda's event source mapping); only the handler
 * differs: the real slack consumer (normalize, route, noise control, enrichment, render,
 * chat.postMessage to the Slack stand-in, ledger) or one that only receives and deletes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { billingAlarms, BENCH_ACCOUNTS, eventIdsOf } from './lib/traffic.ts';
import { processMemoryMb, startTopology, type Topology } from './lib/topology.ts';
import { progress, quantile } from './lib/stats.ts';

const BARE_ENTRY = fileURLToPath(new URL('./bare-consumer.ts', import.meta.url));
const NAIVE_ENTRY = fileURLToPath(new URL('./naive-consumer.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** One Slack receiver, every alert delivered on its own (groupWait 0), enrichment on as in the example. */
export const E2E_CONFIG = `
version: 1
accounts:
${BENCH_ACCOUNTS.map((id, i) => `  "${id}": { name: account-${i + 1} }`).join('\n')}
slack: { tokenSecret: SlackBotToken }
enrichment: { enabled: true, topServices: 5, cacheTtl: 6h }
receivers:
  - { name: ops, type: slack, channel: "#finops-alerts" }
route:
  receiver: ops
  groupBy: [kind, accountId]
  groupWait: 0s
`;

/** What carries the traffic: the bare transport, the pipeline, or the naive peer (`naive-consumer.ts`). */
export type TransportMode = 'bare' | 'pipeline' | 'naive';

export interface TransportResult {
  mode: TransportMode;
  messages: number;
  consumers: number;
  delivered: number;
  p50Ms: number;
  p99Ms: number;
  msgsPerSec: number;
  publishSeconds: number;
  /** Pipeline only. */
  costExplorerRequests?: number;
  /** Peak RSS (VmHWM) of the consumer processes, MB: the largest. */
  consumerPeakRssMb?: number;
}

/**
 * Publishes `n` billing alarms over five accounts (as fast as PublishBatch goes, or at
 * `ratePerSec`) and waits until every one is delivered (at the
 * Slack stand-in, or seen by the bare consumer). Latency: delivery time minus the time its
 * PublishBatch call started. Throughput: n / (last delivery − first publish).
 */
export async function runTransport(
  mode: TransportMode,
  n: number,
  consumers: number,
  options: { ratePerSec?: number } = {},
): Promise<TransportResult> {
  const topo = await startTopology({ configYaml: E2E_CONFIG });
  try {
    const messages = billingAlarms(n);
    const delivered = new Map<string, number>();
    const procs: Array<{ pid?: number | undefined }> = [];
    if (mode === 'pipeline') {
      topo.stack.slack.onMessage((m) => {
        const ids =
          (m.metadata as { event_payload?: { event_ids?: string } } | undefined)?.event_payload?.event_ids ?? '';
        for (const id of ids.split(',').filter(Boolean))
          if (!delivered.has(id)) delivered.set(id, m.receivedAt.getTime());
      });
      const ready = waitForLines(consumers, (line) => line.includes('consumer started'));
      procs.push(...topo.startConsumers('slack', consumers, {}, ready.feed));
      await ready.done;
    } else if (mode === 'naive') {
      // The peer posts plain text: each message is known by the alarm name in it.
      topo.stack.slack.onMessage((m) => {
        const name = ALARM_NAME.exec(m.text ?? '')?.[0];
        if (name && !delivered.has(name)) delivered.set(name, m.receivedAt.getTime());
      });
      procs.push(...(await spawnNaive(topo, consumers, '#finops-alerts')));
    } else {
      const ready = waitForLines(consumers, (line) => line.startsWith('{"ready"'));
      for (let i = 0; i < consumers; i++) {
        procs.push(
          spawnBare(topo, BARE_ENTRY, (line) => {
            ready.feed(line);
            if (!line.startsWith('{"bare"')) return;
            for (const [id, at] of (JSON.parse(line) as { bare: Array<[string, number]> }).bare)
              if (!delivered.has(id)) delivered.set(id, at);
          }),
        );
      }
      await ready.done;
    }
    progress(`${mode}: ${consumers} consumer process(es) ready; publishing ${n} notifications`);
    const keys = mode === 'pipeline' ? eventIdsOf(messages) : mode === 'naive' ? messages.map(alarmNameOf) : null;
    const started = Date.now();
    const { sentAt, messageIds } = await topo.publish(messages, { ratePerSec: options.ratePerSec });
    const publishSeconds = (Date.now() - started) / 1000;
    const ids = keys ?? messageIds;
    const deadline = Date.now() + Math.max(120_000, n * 60);
    let last = -1;
    while (delivered.size < n && Date.now() < deadline) {
      if (delivered.size !== last) progress(`${mode}: ${delivered.size}/${n} delivered`);
      last = delivered.size;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const latencies: number[] = [];
    let lastDelivery = 0;
    for (let i = 0; i < n; i++) {
      const at = delivered.get(ids[i]!);
      if (at === undefined) continue;
      latencies.push(at - sentAt[i]!);
      lastDelivery = Math.max(lastDelivery, at);
    }
    const first = Math.min(...sentAt);
    const peak = Math.max(0, ...procs.map((p) => processMemoryMb(p.pid)?.peakMb ?? 0));
    const result: TransportResult = {
      mode,
      messages: n,
      consumers,
      delivered: latencies.length,
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      msgsPerSec: latencies.length / ((lastDelivery - first) / 1000),
      publishSeconds,
      consumerPeakRssMb: peak || undefined,
    };
    if (mode === 'pipeline')
      result.costExplorerRequests = topo.ce!.requests.filter((r) =>
        r.target.startsWith('AWSInsightsIndexService.'),
      ).length;
    for (const p of procs) if ('kill' in p) await stopBare(p as ChildProcess);
    return result;
  } finally {
    await topo.close();
  }
}

const ALARM_NAME = /[a-z]+-charges-\d+/;

function alarmNameOf(message: string): string {
  return (JSON.parse(message) as { AlarmName: string }).AlarmName;
}

/** Starts the naive peer's processes, posting to `channel`; resolves once each is polling. */
export async function spawnNaive(topo: Topology, count: number, channel: string): Promise<ChildProcess[]> {
  const ready = waitForLines(count, (line) => line.startsWith('{"ready"'));
  const env = { NAIVE_SLACK_TOKEN: topo.stack.slack.token, NAIVE_SLACK_CHANNEL: channel };
  const procs = Array.from({ length: count }, () => spawnBare(topo, NAIVE_ENTRY, ready.feed, env));
  const died = new Promise<never>((_, reject) => {
    for (const p of procs)
      p.once('exit', (code) => reject(new Error(`a naive consumer exited (${code}) before polling`)));
  });
  await Promise.race([ready.done, died]);
  return procs;
}

export async function stopBare(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

function spawnBare(
  topo: Topology,
  entry: string,
  onLine: (line: string) => void,
  extraEnv: NodeJS.ProcessEnv = {},
): ChildProcess {
  const child = spawn(process.execPath, ['--import', TSX, entry, 'slack'], {
    env: { ...process.env, ...topo.consumerEnv(extraEnv) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout! }).on('line', onLine);
  return child;
}

/** Resolves once `count` lines have matched. */
function waitForLines(
  count: number,
  match: (line: string) => boolean,
): { feed: (line: string) => void; done: Promise<void> } {
  let seen = 0;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  return {
    feed: (line) => {
      if (match(line) && ++seen === count) resolve();
    },
    done,
  };
}
