/// <reference path="./.sst/platform/config.d.ts" />

/**
 * spend-alerts on AWS. `stacks/spec.ts` describes the topology; each file under `stacks/` maps one concern
 * of it to SST components, imported inside `run()` as SST asks (so `sst install` reads `app()` alone).
 * Deploy: see "Deploy to AWS" in README.md.
 */

/** The @pulumi/aws release `sst install` installs, pinned so a clean install is the tested one. */
const AWS_PROVIDER_VERSION = '7.20.0';

export default $config({
  app(input) {
    return {
      name: 'spend-alerts',
      home: 'aws',
      // Production keeps its ledger table when removed; other stages remove everything.
      removal: input?.stage === 'production' ? 'retain' : 'remove',
      providers: {
        // us-east-1 unless SPEND_ALERTS_REGION says otherwise: the billing metrics, Budgets and Cost Explorer live there.
        aws: { version: AWS_PROVIDER_VERSION, region: process.env.SPEND_ALERTS_REGION ?? 'us-east-1' },
      },
    };
  },
  async run() {
    const { readDeployConfig } = await import('./stacks/deploy-config.ts');
    const { linkNamesOnly } = await import('./stacks/links.ts');
    const { accountContext } = await import('./stacks/account.ts');
    const { billingRegionProvider, deployRegion } = await import('./stacks/regions.ts');
    const { createSpendTopics } = await import('./stacks/topic.ts');
    const { channelsInUse } = await import('./stacks/spec.ts');
    const { createQueues } = await import('./stacks/queues.ts');
    const { subscribeQueues } = await import('./stacks/subscriptions.ts');
    const { createLedgerTable } = await import('./stacks/table.ts');
    const { createSecrets } = await import('./stacks/secrets.ts');
    const { consumerName, createConsumers } = await import('./stacks/functions.ts');
    const { createSchedules } = await import('./stacks/schedules.ts');
    const { createAlarms, createOperationsTopic } = await import('./stacks/monitoring.ts');
    const { createBillingResources } = await import('./stacks/billing.ts');

    const deploy = readDeployConfig(process.cwd());
    linkNamesOnly();
    const account = accountContext();
    const topics = createSpendTopics(account, billingRegionProvider(deployRegion()));
    // Only the channels the config has receivers on: an unused channel would cost its idle polling.
    const queues = createQueues(channelsInUse(deploy.config.receivers));
    subscribeQueues(queues, topics);
    const table = createLedgerTable();
    const secrets = createSecrets(deploy.config);
    const consumers = createConsumers({ deploy, account, queues, table, secrets });
    const operations = createOperationsTopic();
    const jobs = createSchedules({ deploy, account, table, secrets, topics, operations, queues });
    createAlarms(deploy.config, operations, queues, {
      ...Object.fromEntries(
        Object.entries(consumers).map(([channel, fn]) => [consumerName(channel as keyof typeof consumers), fn]),
      ),
      DigestJob: jobs.digest,
      WatchdogJob: jobs.watchdog,
    });
    createBillingResources(deploy.config, topics);

    return {
      spendTopic: topics.main.arn,
      billingTopic: topics.billing.arn,
      operationsTopic: operations.arn,
      ledgerTable: table.name,
      watchdogFunction: jobs.watchdog.name,
    };
  },
});
