import { HANDLER_INSTALLS } from './bundling.ts';
import type { DeployConfig } from './deploy-config.ts';
import type { AccountContext } from './account.ts';
import { functionDefaults, resolvedPermissions } from './functions.ts';
import { digestPermissions, watchdogPermissions } from './permissions.ts';
import { type ChannelQueues, queuedChannels } from './queues.ts';
import type { createSecrets } from './secrets.ts';
import { spec, type ScheduleSpec } from './spec.ts';
import type { createLedgerTable } from './table.ts';
import type { createSpendTopics } from './topic.ts';

export interface ScheduleInputs {
  deploy: DeployConfig;
  account: AccountContext;
  table: ReturnType<typeof createLedgerTable>;
  secrets: ReturnType<typeof createSecrets>;
  topics: ReturnType<typeof createSpendTopics>;
  operations: InstanceType<typeof sst.aws.SnsTopic>;
  queues: ChannelQueues;
}

/**
 * The EventBridge Scheduler jobs: `Digest` hourly, sending the digests whose local send time has come
 * and whose period has no ledger entry yet (so a retry never sends twice); `Watchdog` hourly,
 * publishing a heartbeat a day that every consumer must see, and telling the operations topic when a
 * consumer missed it, a dead-letter queue holds records or the digest job stopped.
 */
export function createSchedules({ deploy, account, table, secrets, topics, operations, queues }: ScheduleInputs) {
  const digestSpec = scheduleSpec('Digest');
  const defaults = functionDefaults(deploy);
  const digest = new sst.aws.Function('DigestJob', {
    ...defaults,
    ...limits(digestSpec),
    // The chart needs a font (Lambda has none) and resvg's native module for the function's architecture.
    copyFiles: [...defaults.copyFiles, { from: CHART_FONT_SOURCE, to: CHART_FONT_FILE }],
    environment: { ...defaults.environment, SPEND_ALERTS_CHART_FONT: `/var/task/${CHART_FONT_FILE}` },
    nodejs: { install: [...HANDLER_INSTALLS.digest!] },
    link: [table, ...secrets.digest],
    permissions: resolvedPermissions(account, [table.arn], (acct, [tableArn]) =>
      digestPermissions(acct, tableArn!, deploy.config),
    ),
  });
  new sst.aws.CronV2(digestSpec.name, { function: digest, schedule: expression(digestSpec), retries: 2 });

  const watchdogSpec = scheduleSpec('Watchdog');
  const deadLetters = queuedChannels(queues).map((q) => q.deadLetters);
  const watchdog = new sst.aws.Function('WatchdogJob', {
    ...functionDefaults(deploy),
    ...limits(watchdogSpec),
    link: [table, topics.main, operations, ...deadLetters],
    permissions: $resolve([topics.main.arn, operations.arn, table.arn, ...deadLetters.map((q) => q.arn)]).apply(
      ([topic, operationsTopic, tableArn, ...dlqs]: string[]) =>
        watchdogPermissions({ topic: topic!, operationsTopic: operationsTopic!, table: tableArn!, deadLetters: dlqs }),
    ),
  });
  new sst.aws.CronV2(watchdogSpec.name, { function: watchdog, schedule: expression(watchdogSpec), retries: 2 });

  return { digest, watchdog };
}

/** The font the digest chart's labels are drawn with, shipped with the function. */
export const CHART_FONT_SOURCE = 'packages/adapters/assets/fonts/DejaVuSans.ttf';
export const CHART_FONT_FILE = 'fonts/DejaVuSans.ttf';

function scheduleSpec(name: string): ScheduleSpec {
  const found = spec.schedules.find((s) => s.name === name);
  if (!found) throw new Error(`stacks/spec.ts has no "${name}" schedule`);
  return found;
}

function limits(schedule: ScheduleSpec) {
  return {
    handler: schedule.handler,
    timeout: `${schedule.timeoutSeconds} seconds` as const,
    memory: `${schedule.memoryMb} MB` as const,
  };
}

function expression(schedule: ScheduleSpec): `cron(${string})` | `rate(${string})` {
  if (!/^(cron|rate)\(.+\)$/.test(schedule.schedule))
    throw new Error(`schedule ${schedule.name}: "${schedule.schedule}" is not a cron() or rate() expression`);
  return schedule.schedule as `cron(${string})` | `rate(${string})`;
}
