import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { awsClientConfig } from '@spend-alerts/adapters/aws';
import { links } from '@spend-alerts/stacks/spec';
import { heartbeatMessage } from '../pipeline/heartbeat.ts';
import { linkedResource } from '../runtime/resources.ts';

const sns = new SNSClient(awsClientConfig(process.env, 'SNS'));

/** The daily schedule: a heartbeat through the topic; every consumer counts it (the `Heartbeat` metric). */
export const handler = async () => {
  const topic = linkedResource<{ arn: string }>(links.topic);
  const out = await sns.send(new PublishCommand({ TopicArn: topic.arn, Message: heartbeatMessage(new Date()) }));
  return { messageId: out.MessageId };
};
