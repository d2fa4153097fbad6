import { BUNDLED_CONFIG_PATH, COMPILED_CONFIG_FILE, type DeployConfig } from './deploy-config.ts';
import { METRICS_NAMESPACE_ENV, metricsNamespace } from './metrics.ts';
import { consumerPermissions, type Account, type Permission } from './permissions.ts';
import type { AccountContext } from './account.ts';
import { type ChannelQueues, queuedChannels } from './queues.ts';
import type { createSecrets } from './secrets.ts';
import { spec, type Channel } from './spec.ts';
import type { createLedgerTable } from './table.ts';

/**
 * What every function shares: the Lambda runtime and architecture decided in DESIGN.md, the validated
 * config compiled to JSON at the root of the bundle, the stage, and the metrics namespace when metrics are on.
 */
export function functionDefaults(deploy: DeployConfig) {
  return {
    runtime: spec.runtime,
    architecture: spec.architecture,
    copyFiles: [{ from: deploy.compiledFile, to: COMPILED_CONFIG_FILE }],
    environment: {
      SPEND_ALERTS_CONFIG: BUNDLED_CONFIG_PATH,
      SPEND_ALERTS_STAGE: $app.stage,
      // Custom metrics only when asked for: each costs $0.30 a month.
      ...(deploy.config.monitoring.metrics ? { [METRICS_NAMESPACE_ENV]: metricsNamespace($app.stage) } : {}),
    },
    logging: { retention: '1 month' as const },
  };
}

/** Resolves the ARNs a permission set is built from, then builds it with the pure builder. */
export function resolvedPermissions(
  account: AccountContext,
  arns: unknown[],
  build: (account: Account, arns: string[]) => Permission[],
) {
  const { partition, region, accountId } = account;
  return $resolve({ partition, region, accountId, arns: $resolve(arns) }).apply(
    (resolved: Account & { arns: unknown[] }): Permission[] => build(resolved, resolved.arns as string[]),
  );
}

export interface ConsumerInputs {
  deploy: DeployConfig;
  account: AccountContext;
  queues: ChannelQueues;
  table: ReturnType<typeof createLedgerTable>;
  secrets: ReturnType<typeof createSecrets>;
}

/**
 * One Lambda consumer per channel that has queues, subscribed to its queue with partial batch
 * responses, so one bad record never fails the batch it came in.
 */
export function createConsumers(inputs: ConsumerInputs) {
  const entries = queuedChannels(inputs.queues).map(
    ({ channel, queue, deadLetters }) => [channel, createConsumer(channel, queue, deadLetters, inputs)] as const,
  );
  return Object.fromEntries(entries) as Partial<Record<Channel, ReturnType<typeof createConsumer>>>;
}

type SstQueue = InstanceType<typeof sst.aws.Queue>;

function createConsumer(
  channel: Channel,
  queue: SstQueue,
  deadLetters: SstQueue,
  { deploy, account, table, secrets }: ConsumerInputs,
) {
  const consumer = spec.consumers[channel];
  const fn = new sst.aws.Function(consumerName(channel), {
    ...functionDefaults(deploy),
    handler: consumer.handler,
    timeout: `${consumer.timeoutSeconds} seconds`,
    memory: `${consumer.memoryMb} MB`,
    link: [table, queue, deadLetters, ...secrets.forChannel(channel)],
    permissions: resolvedPermissions(
      account,
      [queue.arn, deadLetters.arn, table.arn],
      (acct, [queueArn, deadLettersArn, tableArn]) =>
        consumerPermissions(
          channel,
          acct,
          { queue: queueArn!, deadLetters: deadLettersArn!, table: tableArn! },
          deploy.config,
        ),
    ),
  });
  queue.subscribe(fn.arn, {
    batch: { size: consumer.batchSize, window: `${consumer.batchWindowSeconds} seconds`, partialResponses: true },
  });
  return fn;
}

/** The consumer function's name: `SlackConsumer`, `EmailConsumer`, `WebhookConsumer`. */
export function consumerName(channel: Channel): string {
  return `${channel.charAt(0).toUpperCase()}${channel.slice(1)}Consumer`;
}
