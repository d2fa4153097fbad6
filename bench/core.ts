/**
 * The pure core on one core: unwrap + normalize (`readInput`), route (`routeEvent`) and render
 * for Slack (`renderSlackMessage`) over every message fixture, round after round, after a warm-up.
 * Events per CPU-second of this process: a single-threaded loop, so CPU time is what it would take
 * on a core of its own, whatever else the shared machine runs; wall-clock rate reported beside it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  directoryOf,
  loadConfig,
  readInput,
  renderSlackMessage,
  routeEvent,
  type SlackReceiver,
} from '@spend-alerts/core';
import { messageFixtures, SOURCE_FOLDERS } from '../tests/fixtures/load.ts';
import { median } from './lib/stats.ts';

const EXAMPLE_CONFIG = fileURLToPath(new URL('../spend-alerts.config.yaml', import.meta.url));

export interface CoreResult {
  /** Events per CPU-second (median of the rounds). */
  eventsPerCpuSecond: number;
  /** Events per wall-clock second (median of the rounds). */
  eventsPerWallSecond: number;
  messages: number;
  eventsPerRound: number;
  /** The same, per stage: read only, read + route. */
  readPerCpuSecond: number;
  readRoutePerCpuSecond: number;
}

export function runCore(options: { warmupMs?: number; roundMs?: number; rounds?: number } = {}): CoreResult {
  const { warmupMs = 2000, roundMs = 2000, rounds = 5 } = options;
  const config = loadConfig(readFileSync(EXAMPLE_CONFIG, 'utf8'), EXAMPLE_CONFIG);
  const accounts = directoryOf(config);
  const slack = config.receivers.find((r): r is SlackReceiver => r.type === 'slack')!;
  const texts = messageFixtures(...SOURCE_FOLDERS).map((f) => f.text);
  const now = new Date('2026-06-15T10:00:00Z');
  let sink = 0;

  const full = () => {
    let events = 0;
    for (const text of texts) {
      for (const event of readInput(text).events) {
        const routed = routeEvent(event, config, accounts);
        const message = renderSlackMessage(
          {
            events: [{ event, enrichment: null }],
            receiver: slack,
            route: routed.matches[0]?.route ?? 'route',
            groupKey: '{}',
          },
          { accounts, now },
        );
        sink += message.blocks.length;
        events++;
      }
    }
    return events;
  };
  const readOnly = () => {
    let events = 0;
    for (const text of texts) events += readInput(text).events.length;
    return events;
  };
  const readRoute = () => {
    let events = 0;
    for (const text of texts) {
      for (const event of readInput(text).events) {
        sink += routeEvent(event, config, accounts).matches.length;
        events++;
      }
    }
    return events;
  };

  const measure = (pass: () => number) => {
    const warm = performance.now();
    while (performance.now() - warm < warmupMs) pass();
    const cpuRates: number[] = [];
    const wallRates: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      let events = 0;
      while (performance.now() - start < roundMs) events += pass();
      const used = process.cpuUsage(cpu);
      cpuRates.push(events / ((used.user + used.system) / 1e6));
      wallRates.push(events / ((performance.now() - start) / 1000));
    }
    return { cpu: median(cpuRates), wall: median(wallRates) };
  };

  const all = measure(full);
  const read = measure(readOnly);
  const route = measure(readRoute);
  if (sink < 0) throw new Error('unreachable');
  return {
    eventsPerCpuSecond: all.cpu,
    eventsPerWallSecond: all.wall,
    messages: texts.length,
    eventsPerRound: full(),
    readPerCpuSecond: read.cpu,
    readRoutePerCpuSecond: route.cpu,
  };
}
