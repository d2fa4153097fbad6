/** The bill of a local run: what the stack metered, and what the model adds for a month. */
import type { Config } from '@spend-alerts/core';
import { METRICS } from '@spend-alerts/stacks/metrics';
import { operationsAlarms } from '@spend-alerts/stacks/monitoring-plan';
import { CHANNELS, spec } from '@spend-alerts/stacks/spec';
import type { LocalStack } from '../runtime/stack.ts';
import { type Bill, buildBill, type Override } from './bill.ts';
import { type MonthModel, monthModel } from './model.ts';

/** The functions the stacks deploy, by the names the operations alarms know them by. */
const FUNCTIONS = [...CHANNELS.map((c) => `${c}Consumer`), ...spec.schedules.map((s) => `${s.name}Job`)];

/** What a month of this config costs beyond what a run can observe. */
export function configModel(config: Config): MonthModel {
  const names = {
    deadLetters: Object.fromEntries(CHANNELS.map((c) => [c, c])),
    functions: Object.fromEntries(FUNCTIONS.map((f) => [f, f])),
    metricsNamespace: 'ns',
  };
  const { alarms, metrics } = config.monitoring;
  return monthModel({
    spec,
    config,
    operationsAlarms: alarms ? operationsAlarms(spec, names as never, { metrics }).length : 0,
    // Every metric carries the channel that wrote it, as its one dimension.
    customMetrics: metrics ? Object.keys(METRICS).length * CHANNELS.length : 0,
  });
}

/** The run's bill, taken as a month (the local run simulates one). */
export function runBill(stack: LocalStack, config: Config, overrides?: Partial<Record<string, Override>>): Bill {
  return buildBill({
    records: stack.usage(),
    storedBytes: stack.dynamoMeter.storedBytes(),
    model: configModel(config),
    ...(overrides ? { overrides } : {}),
  });
}
