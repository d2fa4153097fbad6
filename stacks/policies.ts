/**
 * Resource policies, as plain documents. `S` is a string in tests and a Pulumi output when deploying
 * (`$jsonStringify` resolves the outputs inside), so the tested document is the deployed one.
 */

export interface PolicyStatement<S> {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal: { Service: string[] };
  Action: string[];
  Resource: S;
  Condition: Record<string, Record<string, S | S[]>>;
}

export interface PolicyDocument<S> {
  Version: '2012-10-17';
  Statement: PolicyStatement<S>[];
}

/**
 * Lets AWS's billing services publish to the spend topic, and only on this account's behalf
 * (`aws:SourceAccount`), so no other account's budget or alarm can inject alerts. It replaces SNS's
 * default policy; the account's own roles (the heartbeat) publish through their IAM policies.
 */
export function topicPublishPolicy<S>(topicArn: S, accountId: S, publishers: readonly string[]): PolicyDocument<S> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'BillingServicesOfThisAccountPublish',
        Effect: 'Allow',
        Principal: { Service: [...publishers] },
        Action: ['sns:Publish'],
        Resource: topicArn,
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
    ],
  };
}

/**
 * Lets SNS deliver to a channel's queue only from the spend topics (`aws:SourceArn`). SST's own
 * subscriber policy allows any SNS topic, S3 bucket or EventBridge bus to send, and one queue can have
 * only one policy, so both topics (the us-east-1 forwarder too) must be in this single document.
 */
export function queueFromTopicsPolicy<S>(queueArn: S, topicArns: readonly S[]): PolicyDocument<S> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'SpendTopicsDeliver',
        Effect: 'Allow',
        Principal: { Service: ['sns.amazonaws.com'] },
        Action: ['sqs:SendMessage'],
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': [...topicArns] } },
      },
    ],
  };
}
