import type { AccountContext } from './account.ts';
import { topicPublishPolicy } from './policies.ts';
import type { billingRegionProvider } from './regions.ts';
import { spec } from './spec.ts';

type Provider = ReturnType<typeof billingRegionProvider>;

/**
 * The spend topic AWS Budgets, CloudWatch billing alarms and Cost Anomaly Detection publish to, with a
 * policy letting only those services, acting for this account, publish.
 */
function createSpendTopic(name: string, account: AccountContext, provider: Provider) {
  const opts = provider ? { provider } : undefined;
  const topic = new sst.aws.SnsTopic(name, {}, opts);
  new aws.sns.TopicPolicy(
    `${name}Policy`,
    { arn: topic.arn, policy: $jsonStringify(topicPublishPolicy(topic.arn, account.accountId, spec.topic.publishers)) },
    opts,
  );
  return topic;
}

/**
 * `main` is the topic in the deploy region. `billing` is where the billing alarms publish: the same
 * topic in us-east-1, else a second topic there, subscribed to by the same queues (SNS delivers to SQS
 * across regions), so an alarm reaches the pipeline whatever the deploy region.
 */
export function createSpendTopics(account: AccountContext, billingProvider: Provider) {
  const main = createSpendTopic(spec.topic.name, account, undefined);
  const billing = billingProvider ? createSpendTopic(`${spec.topic.name}UsEast1`, account, billingProvider) : main;
  return { main, billing, billingProvider };
}
