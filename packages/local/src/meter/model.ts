/**
 * The parts of a month's bill a local run cannot observe, modelled from the topology (stacks/spec.ts)
 * and the config with documented rates: the event source mappings' polling of idle queues, the
 * schedules, the alarms and custom metrics, what the logs and the table keep.
 */
import type { Config } from '@spend-alerts/core';
import { channelsInUse, type Spec } from '@spend-alerts/stacks/spec';

/** A month, as the bill counts it. */
export const DAYS_PER_MONTH = 30;
export const SECONDS_PER_MONTH = DAYS_PER_MONTH * 86_400;

/**
 * Lambda's SQS event source mapping long-polls a queue (20 seconds per receive) until messages come.
 * AWS documents that at low traffic it "scales back the processing to five concurrent batches, and
 * can optimize to as few as 2 concurrent batches to reduce the SQS calls and corresponding costs"
 * (Lambda Developer Guide, "Configuring scaling behavior for SQS event source mappings"). The rate
 * of its receives is not published; the bill counts five pollers, the documented low-traffic level,
 * and says what two would cost.
 */
export const ESM_IDLE_POLLERS = 5;
export const ESM_OPTIMIZED_POLLERS = 2;
export const LONG_POLL_SECONDS = 20;

/** Receives one event source mapping makes in a month of an empty queue. */
export function idleReceivesPerQueue(pollers = ESM_IDLE_POLLERS): number {
  return pollers * (SECONDS_PER_MONTH / LONG_POLL_SECONDS);
}

/** How often an EventBridge Scheduler expression fires in a month (`cron(...)` with fixed minutes, or `rate(...)`). */
export function firingsPerMonth(expression: string): number {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const every = Number(rate[1]) * (rate[2]!.startsWith('minute') ? 60 : rate[2]!.startsWith('hour') ? 3600 : 86_400);
    return Math.floor(SECONDS_PER_MONTH / every);
  }
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
  if (!cron) throw new Error(`not a schedule expression: ${expression}`);
  const [minutes, hours, dayOfMonth, , dayOfWeek] = cron.slice(1) as [string, string, string, string, string];
  const count = (field: string, span: number) => (field === '*' ? span : field.split(',').length);
  const perDay = count(minutes, 60) * count(hours, 24);
  const days =
    dayOfMonth === '*' || dayOfMonth === '?'
      ? dayOfWeek === '*' || dayOfWeek === '?'
        ? DAYS_PER_MONTH
        : (DAYS_PER_MONTH / 7) * dayOfWeek.split(',').length
      : dayOfMonth.split(',').length;
  return perDay * days;
}

export interface MonthModel {
  /** Channel queues with an event source mapping: one per channel the config has receivers on. */
  polledQueues: number;
  /** Receives of empty queues by the event source mappings, all queues. */
  idleReceives: number;
  /** The same at the documented optimization (two pollers), for the note. */
  idleReceivesOptimized: number;
  /** Scheduled invocations, by schedule name. */
  schedules: Record<string, number>;
  /** The pipeline's own CloudWatch alarms on itself. */
  operationsAlarms: number;
  /** Custom CloudWatch metrics the handlers publish. */
  customMetrics: number;
  /** Listed apart: what the user declares in the config. */
  userBillingAlarms: number;
  userBudgets: number;
  userAnomalyMonitors: number;
}

export interface ModelInputs {
  spec: Spec;
  config: Config;
  /** Alarms the stacks create on the pipeline itself (monitoring-plan.ts). */
  operationsAlarms: number;
  /** Custom metrics the handlers publish (0 unless asked for). */
  customMetrics: number;
}

export function monthModel({ spec, config, operationsAlarms, customMetrics }: ModelInputs): MonthModel {
  const polledQueues = channelsInUse(config.receivers).length;
  return {
    polledQueues,
    idleReceives: polledQueues * idleReceivesPerQueue(),
    idleReceivesOptimized: polledQueues * idleReceivesPerQueue(ESM_OPTIMIZED_POLLERS),
    schedules: Object.fromEntries(spec.schedules.map((s) => [s.name, firingsPerMonth(s.schedule)])),
    operationsAlarms,
    customMetrics,
    userBillingAlarms: config.billingAlarms.length,
    userBudgets: config.budgets.length,
    userAnomalyMonitors: config.anomalyDetection.enabled ? 1 : 0,
  };
}
