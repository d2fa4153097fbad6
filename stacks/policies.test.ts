import { describe, expect, it } from 'vitest';
import { queueFromTopicsPolicy, topicPublishPolicy } from './policies.ts';
import { spec } from './spec.ts';

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:spend-events';

describe('the spend topic policy', () => {
  const policy = topicPublishPolicy(TOPIC, '111111111111', spec.topic.publishers);

  it('lets exactly the three billing services publish, nothing else', () => {
    expect(policy.Statement).toHaveLength(1);
    const [statement] = policy.Statement;
    expect(statement).toMatchObject({ Effect: 'Allow', Action: ['sns:Publish'], Resource: TOPIC });
    expect([...statement!.Principal.Service].sort()).toEqual([
      'budgets.amazonaws.com',
      'cloudwatch.amazonaws.com',
      'costalerts.amazonaws.com',
    ]);
  });

  it('scopes publishing to this account with aws:SourceAccount', () => {
    expect(policy.Statement[0]!.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111111111111' } });
  });

  it('is valid IAM JSON', () => {
    expect(JSON.parse(JSON.stringify(policy))).toMatchObject({ Version: '2012-10-17' });
  });
});

describe('the queue policy', () => {
  it('lets SNS deliver only from the listed topics', () => {
    const forwarder = 'arn:aws:sns:us-east-1:111111111111:spend-events-us-east-1';
    const policy = queueFromTopicsPolicy('arn:aws:sqs:eu-west-1:111111111111:slack', [TOPIC, forwarder]);
    expect(policy.Statement).toEqual([
      {
        Sid: 'SpendTopicsDeliver',
        Effect: 'Allow',
        Principal: { Service: ['sns.amazonaws.com'] },
        Action: ['sqs:SendMessage'],
        Resource: 'arn:aws:sqs:eu-west-1:111111111111:slack',
        Condition: { ArnEquals: { 'aws:SourceArn': [TOPIC, forwarder] } },
      },
    ]);
  });
});
