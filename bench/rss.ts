/**
 * Memory of a channel consumer as deployed: `consumer-main.ts` (the slack handler module polled as
 * Lambda's event source mapping polls, batches of ten) bundled by esbuild like the handlers and
 * run by plain `node`, no TypeScript loader. Peak resident set (VmHWM) after it delivered the
 * traffic, beside the same figure for the consumer run from source through tsx (from the e2e run).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { compileConfig } from '@spend-alerts/core';
import { E2E_CONFIG } from './e2e.ts';
import { billingAlarms, eventIdsOf } from './lib/traffic.ts';
import { processMemoryMb, startTopology } from './lib/topology.ts';
import { median, progress, quantile } from './lib/stats.ts';
import { readReport } from '@spend-alerts/local/meter/lambda-report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'node_modules/.cache/spend-alerts-bench');

export interface RssResult {
  /** Peak RSS of the bundled consumer, MB. */
  peakMb: number;
  /** Its RSS once started, before any traffic, MB. */
  startedMb: number;
  /** p99 of its invocations' durations (the report line it writes after each, as Lambda's), ms. */
  p99InvocationMs: number;
  messages: number;
  /** Duration of its first invocation (a batch of ten; the deps built, first connections, the first enrichment), ms. */
  firstInvocationMs: number;
  /** Median duration of its later invocations, ms. */
  laterInvocationMs: number;
}

export async function runRss(messages = 2000): Promise<RssResult> {
  mkdirSync(OUT, { recursive: true });
  const outfile = join(OUT, 'consumer-main.mjs');
  await build({
    entryPoints: [join(ROOT, 'packages/local/src/runtime/consumer-main.ts')],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['@resvg/resvg-js'],
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  const topo = await startTopology({ configYaml: E2E_CONFIG });
  // As deployed: the config compiled to JSON, which the bundle reads without a YAML loader.
  const compiled = join(OUT, 'spend-alerts.config.json');
  writeFileSync(compiled, compileConfig(topo.config));
  const child = spawn(process.execPath, [outfile, 'slack'], {
    env: { ...process.env, ...topo.consumerEnv({ SPEND_ALERTS_CONFIG: compiled }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const durations: number[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.includes('consumer started')) resolve();
        const report = line.startsWith('{"time"') ? readReport(JSON.parse(line) as Record<string, unknown>) : null;
        if (report) durations.push(report.durationMs);
      });
      child.once('exit', (code) => reject(new Error(`the bundled consumer exited (${code})`)));
    });
    await new Promise((r) => setTimeout(r, 500));
    const startedMb = processMemoryMb(child.pid)?.rssMb ?? NaN;
    const traffic = billingAlarms(messages, undefined, 'rss');
    const ids = new Set(eventIdsOf(traffic));
    let delivered = 0;
    topo.stack.slack.onMessage((m) => {
      const list =
        (m.metadata as { event_payload?: { event_ids?: string } } | undefined)?.event_payload?.event_ids ?? '';
      for (const id of list.split(',')) if (ids.delete(id)) delivered++;
    });
    await topo.publish(traffic);
    const deadline = Date.now() + 180_000;
    while (delivered < messages && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    const peak = processMemoryMb(child.pid)?.peakMb ?? NaN;
    progress(
      `rss: bundled consumer delivered ${delivered}/${messages}; RSS ${startedMb.toFixed(1)} MB once started, peak ${peak.toFixed(1)} MB`,
    );
    return {
      peakMb: peak,
      startedMb,
      messages: delivered,
      p99InvocationMs: quantile(durations, 0.99),
      firstInvocationMs: durations[0] ?? NaN,
      laterInvocationMs: median(durations.slice(1)),
    };
  } finally {
    child.kill('SIGKILL');
    await topo.close();
  }
}
