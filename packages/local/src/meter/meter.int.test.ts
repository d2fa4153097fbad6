/** The meter on the wire: the SDK through the stack's metering proxies, counted by source and dimension. */
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_REGION, type LocalStack, startLocalStack } from '../runtime/stack.ts';
import { meteredCredentials } from './proxy.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.close();
});

const client = <T>(make: new (config: object) => T, endpoint: string, source: string) =>
  new make({ region: LOCAL_REGION, endpoint, credentials: meteredCredentials(source) });

describe('the metering proxies', () => {
  it('bill DynamoDB writes and reads by item size, to the source named by the access key', async () => {
    const dynamo = client(DynamoDBClient, stack.metered.dynamo, 'consumer:slack');
    const Item = { pk: { S: 'T#1' }, sk: { S: '-' }, v: { S: 'x'.repeat(1500) } };
    await dynamo.send(new PutItemCommand({ TableName: stack.tableName, Item }));
    await dynamo.send(
      new GetItemCommand({ TableName: stack.tableName, Key: { pk: Item.pk, sk: Item.sk }, ConsistentRead: true }),
    );
    const updated = await dynamo.send(
      new UpdateItemCommand({
        TableName: stack.tableName,
        Key: { pk: Item.pk, sk: Item.sk },
        UpdateExpression: 'SET n = :n',
        ExpressionAttributeValues: { ':n': { N: '1' } },
      }),
    );
    expect(updated.Attributes).toBeUndefined(); // answered as asked, though the meter asked for the new item
    expect(stack.meter.total('dynamodb.writeUnits', (s) => s === 'consumer:slack')).toBe(2 + 2);
    expect(stack.meter.total('dynamodb.readUnits', (s) => s === 'consumer:slack')).toBe(1);
    dynamo.destroy();
  });

  it('bill SQS requests and SNS publishes, empty receives apart', async () => {
    const sqs = client(SQSClient, stack.metered.snsSqs, 'consumer:email');
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.email.dlqUrl, MessageBody: 'x'.repeat(70_000) }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.queues.webhook.dlqUrl, WaitTimeSeconds: 0 }));
    await stack.publisher.send(new PublishCommand({ TopicArn: stack.topicArn, Message: 'hello' }));
    const records = stack.meter.records().filter((r) => r.source === 'consumer:email' || r.source === 'aws');
    expect(records.map((r) => [r.key, r.source, r.detail, r.quantity])).toEqual([
      ['sqs.requests', 'consumer:email', 'SendMessage', 2],
      ['sqs.requests', 'consumer:email', 'ReceiveMessage (empty)', 1],
      ['sns.publishes', 'aws', 'Publish', 1],
    ]);
    sqs.destroy();
  });

  it("leave the stack's own inspection unmetered", async () => {
    const before = stack.meter.records().length;
    await stack.depth(stack.queues.slack.url);
    expect(stack.meter.records()).toHaveLength(before);
  });
});
