/**
 * What a config costs a month before anyone deploys it: the local pipeline runs a simulated month
 * without alerts, then one with the simulated account's alerts, both metered; the bill at any number
 * of alerts is projected from the two (see project.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '@spend-alerts/core';
import { startLocalPipeline } from '../runtime/pipeline.ts';
import type { Bill } from './bill.ts';
import { PublishCommand } from '@aws-sdk/client-sns';
import { type MeteredMonth, perAlert, projectBill } from './project.ts';
import { configModel, deployedUsage } from './run-bill.ts';
import { SECONDS_PER_MONTH } from './model.ts';
import { variantOf } from './variants.ts';

/**
 * From this many alerts a month, what one alert costs is measured on a busy stretch at that pace
 * (grouping and batching then save what a sparse month cannot show), not on the sparse month.
 */
export const BUSY_FROM = 10_000;
/** Alerts in a busy stretch, and how long it takes to publish them, in real seconds. */
const BUSY_ALERTS = 1500;
const BUSY_SECONDS = 15;

export interface Estimate {
  idle: MeteredMonth;
  sample: MeteredMonth;
  /** The busy stretches measured, by alerts a month. */
  busy: Array<{ alertsPerMonth: number; sample: MeteredMonth }>;
  /** The bill with no alert, then at each requested number. */
  bills: Array<{ alertsPerMonth: number; bill: Bill }>;
}

export interface EstimateOptions {
  configPath: string;
  alertsPerMonth: number[];
  /** Real seconds each simulated month takes (default 20). */
  monthSeconds?: number;
  month?: string;
  onProgress?: (step: string) => void;
}

/** Runs one simulated month of the local pipeline on the config, metered. */
async function meterMonth(
  options: EstimateOptions,
  simulate: boolean,
): Promise<MeteredMonth & { config: Config; messages: Array<{ message: string; subject: string | null }> }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sa-cost-'));
  const pipeline = await startLocalPipeline({
    configPath: options.configPath,
    monthSeconds: options.monthSeconds ?? 20,
    ...(options.month ? { month: options.month } : {}),
    stateDir,
    dashboardPort: false,
    simulate,
  });
  try {
    await pipeline.simulationDone;
    await pipeline.drained();
    await pipeline.runDigestsNow?.();
    return {
      config: pipeline.config,
      records: deployedUsage(pipeline.stack.usage(), pipeline.config),
      storedBytes: pipeline.stack.dynamoMeter.storedBytes(),
      alerts: pipeline.published.length,
      messages: pipeline.published.map((p) => ({
        message: p.crossing.message,
        subject: 'subject' in p.crossing ? (p.crossing.subject ?? null) : null,
      })),
    };
  } finally {
    await pipeline.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/**
 * A busy stretch: copies of the sample month's messages (each another budget, alarm or anomaly)
 * published at `alertsPerMonth`'s pace on the simulated clock, metered until the pipeline is quiet.
 * Returns the stretch as a fraction of a month.
 */
async function meterBusy(
  options: EstimateOptions,
  templates: Array<{ message: string; subject: string | null }>,
  alertsPerMonth: number,
): Promise<{ sample: MeteredMonth; fraction: number }> {
  const fraction = BUSY_ALERTS / alertsPerMonth;
  const stateDir = mkdtempSync(join(tmpdir(), 'sa-cost-busy-'));
  const pipeline = await startLocalPipeline({
    configPath: options.configPath,
    monthSeconds: BUSY_SECONDS / fraction,
    ...(options.month ? { month: options.month } : {}),
    stateDir,
    dashboardPort: false,
    simulate: false,
  });
  try {
    const { clock, stack } = pipeline;
    const step = (fraction * SECONDS_PER_MONTH * 1000) / BUSY_ALERTS;
    const start = clock.now().getTime();
    for (let i = 0; i < BUSY_ALERTS; i++) {
      const due = start + i * step;
      const wait = clock.realDelayMs(due - clock.now().getTime());
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const t = templates[i % templates.length]!;
      await stack.publisher.send(
        new PublishCommand({
          TopicArn: stack.topicArn,
          Message: variantOf(t.message, i),
          ...(t.subject ? { Subject: t.subject.slice(0, 99) } : {}),
        }),
      );
    }
    await pipeline.drained();
    return {
      sample: {
        records: deployedUsage(stack.usage(), pipeline.config),
        storedBytes: stack.dynamoMeter.storedBytes(),
        alerts: BUSY_ALERTS,
      },
      fraction,
    };
  } finally {
    await pipeline.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

export async function estimateMonthlyBill(options: EstimateOptions): Promise<Estimate> {
  options.onProgress?.('a simulated month without alerts (the schedules, the heartbeat, empty digests)');
  const { config, ...idle } = await meterMonth(options, false);
  options.onProgress?.("a simulated month of the simulated account's alerts");
  const { config: _same, messages, ...sample } = await meterMonth(options, true);
  const model = configModel(config);
  const busy: Estimate['busy'] = [];
  const bills: Estimate['bills'] = [];
  for (const alertsPerMonth of [0, ...options.alertsPerMonth]) {
    let profile = perAlert(idle, sample);
    if (alertsPerMonth >= BUSY_FROM && messages.length) {
      options.onProgress?.(`${BUSY_ALERTS} alerts at the pace of ${alertsPerMonth.toLocaleString('en-US')} a month`);
      const stretch = await meterBusy(options, messages, alertsPerMonth);
      busy.push({ alertsPerMonth, sample: stretch.sample });
      profile = perAlert(idle, stretch.sample, stretch.fraction);
    }
    bills.push({
      alertsPerMonth,
      bill: projectBill({ config, model, idle, sample, perAlert: profile, alertsPerMonth }),
    });
  }
  return { idle, sample, busy, bills };
}
