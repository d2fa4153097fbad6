/** The bill of a local run: what the stack metered, and what the model adds for a month. */
import type { Config } from '@spend-alerts/core';
import { METRICS } from '@spend-alerts/stacks/metrics';
import { operationsAlarms } from '@spend-alerts/stacks/monitoring-plan';
import { channelsInUse, spec } from '@spend-alerts/stacks/spec';
import type { LocalStack } from '../runtime/stack.ts';
import { type Bill, buildBill, type Override } from './bill.ts';
import { type MonthModel, monthModel } from './model.ts';
import { consumerSource, isConsumer, type UsageRecord } from './usage.ts';

/** What a month of this config costs beyond what a run can observe. */
export function configModel(config: Config): MonthModel {
  const channels = channelsInUse(config.receivers);
  // The functions the stacks deploy for this config, by the names the operations alarms know them by.
  const functions = [...channels.map((c) => `${c}Consumer`), ...spec.schedules.map((s) => `${s.name}Job`)];
  const names = {
    deadLetters: Object.fromEntries(channels.map((c) => [c, c])),
    functions: Object.fromEntries(functions.map((f) => [f, f])),
    metricsNamespace: 'ns',
  };
  const { alarms, metrics } = config.monitoring;
  return monthModel({
    spec,
    config,
    operationsAlarms: alarms ? operationsAlarms(spec, names as never, { metrics }).length : 0,
    // Every metric carries the channel that wrote it, as its one dimension.
    customMetrics: metrics ? Object.keys(METRICS).length * channels.length : 0,
  });
}

/**
 * The records a deployment of this config would have made: the local runtime runs a consumer for
 * every channel, but the stacks deploy only the channels the config has receivers on.
 */
export function deployedUsage(records: UsageRecord[], config: Config): UsageRecord[] {
  const deployed = new Set(channelsInUse(config.receivers).map(consumerSource));
  return records.filter((r) => !isConsumer(r.source) || deployed.has(r.source));
}

/** The run's bill, taken as a month (the local run simulates one). */
export function runBill(stack: LocalStack, config: Config, overrides?: Partial<Record<string, Override>>): Bill {
  return buildBill({
    records: deployedUsage(stack.usage(), config),
    storedBytes: stack.dynamoMeter.storedBytes(),
    model: configModel(config),
    ...(overrides ? { overrides } : {}),
  });
}
