import { describe, expect, it } from 'vitest';
import { unwrap, unwrapSqsRecord, type InboundMessage } from './unwrap.ts';

const alarm = JSON.stringify({ AlarmName: 'billing', NewStateValue: 'ALARM' });
const sns = (message: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Notification',
  MessageId: '11111111-2222-3333-4444-555555555555',
  TopicArn: 'arn:aws:sns:us-east-1:123456789012:spend-events',
  Subject: 'ALARM: "billing" in US East (N. Virginia)',
  Message: message,
  Timestamp: '2024-03-01T10:00:00.123Z',
  SignatureVersion: '1',
  Signature: 'sig',
  SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
  UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
  ...extra,
});
const messages = (input: unknown) => unwrap(input).filter((u): u is InboundMessage => u.type === 'message');

describe('unwrap', () => {
  it('returns a bare text message as it is', () => {
    const [m] = messages('AWS Budget Notification May 1, 2024');
    expect(m).toMatchObject({ raw: 'AWS Budget Notification May 1, 2024', json: undefined, jsonError: null });
    expect(m!.context.envelope).toEqual([]);
  });

  it('parses a bare JSON message', () => {
    const [m] = messages(alarm);
    expect(m!.json).toEqual({ AlarmName: 'billing', NewStateValue: 'ALARM' });
    expect(m!.raw).toBe(alarm);
  });

  it('keeps JSON that does not parse as text with the parse error', () => {
    const [m] = messages('{"AlarmName": "bill');
    expect(m!.json).toBeUndefined();
    expect(m!.jsonError).toMatch(/JSON/);
  });

  it('takes off an SNS envelope and keeps topic, message id, subject and time', () => {
    const [m] = messages(JSON.stringify(sns(alarm)));
    expect(m!.raw).toBe(alarm);
    expect(m!.context).toMatchObject({
      envelope: ['sns'],
      topicArn: 'arn:aws:sns:us-east-1:123456789012:spend-events',
      messageId: '11111111-2222-3333-4444-555555555555',
      subject: 'ALARM: "billing" in US East (N. Virginia)',
      timestamp: '2024-03-01T10:00:00.123Z',
    });
  });

  it('reads every record of a Lambda SQS event, each with its SQS reference', () => {
    const event = {
      Records: [
        {
          messageId: 'a',
          receiptHandle: 'ra',
          body: JSON.stringify(sns(alarm)),
          eventSource: 'aws:sqs',
          attributes: { ApproximateReceiveCount: '2' },
        },
        {
          messageId: 'b',
          receiptHandle: 'rb',
          body: 'plain text',
          eventSource: 'aws:sqs',
          attributes: { SentTimestamp: '1709287200000' },
        },
      ],
    };
    const out = messages(event);
    expect(out.map((m) => m.context.sqs?.messageId)).toEqual(['a', 'b']);
    expect(out[0]!.context.envelope).toEqual(['sqs', 'sns']);
    expect(out[0]!.context.sqs?.receiveCount).toBe(2);
    expect(out[1]!.context.envelope).toEqual(['sqs']);
    expect(out[1]!.context.timestamp).toBe('2024-03-01T10:00:00.000Z');
  });

  it('reads a Lambda SNS event with its differently cased URL keys', () => {
    const { SigningCertURL, UnsubscribeURL, ...rest } = sns(alarm);
    const event = {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          Sns: { ...rest, SigningCertUrl: SigningCertURL, UnsubscribeUrl: UnsubscribeURL },
        },
      ],
    };
    const [m] = messages(event);
    expect(m!.json).toMatchObject({ AlarmName: 'billing' });
    expect(m!.context.envelope).toEqual(['sns']);
  });

  it('takes the detail out of an EventBridge event and keeps the whole event as raw', () => {
    const event = {
      version: '0',
      id: 'e-1',
      'detail-type': 'Anomaly Detected',
      source: 'aws.ce',
      account: '123456789012',
      time: '2024-03-01T00:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { anomalyId: 'x' },
    };
    const [m] = messages(JSON.stringify(event));
    expect(m!.json).toEqual({ anomalyId: 'x' });
    expect(JSON.parse(m!.raw)).toEqual(event);
    expect(m!.context.eventBridge).toMatchObject({ id: 'e-1', source: 'aws.ce', account: '123456789012' });
  });

  it('unwraps an EventBridge event delivered through SNS into SQS', () => {
    const event = {
      version: '0',
      id: 'e-2',
      'detail-type': 'Anomaly Detected',
      source: 'aws.ce',
      account: '1',
      time: '2024-03-01T00:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { anomalyId: 'y' },
    };
    const [m] = messages({
      Records: [
        {
          messageId: 'q',
          receiptHandle: 'r',
          eventSource: 'aws:sqs',
          body: JSON.stringify(sns(JSON.stringify(event))),
        },
      ],
    });
    expect(m!.context.envelope).toEqual(['sqs', 'sns', 'eventbridge']);
    expect(m!.json).toEqual({ anomalyId: 'y' });
  });

  it('reports SNS subscription control messages instead of turning them into messages', () => {
    const confirmation = {
      ...sns('You have chosen to subscribe'),
      Type: 'SubscriptionConfirmation',
      SubscribeURL: 'https://sns.example/confirm',
      Token: 't',
    };
    const [c] = unwrap(JSON.stringify(confirmation));
    expect(c).toMatchObject({
      type: 'control',
      control: 'SubscriptionConfirmation',
      subscribeUrl: 'https://sns.example/confirm',
    });
    const [u] = unwrap({ ...confirmation, Type: 'UnsubscribeConfirmation' });
    expect(u).toMatchObject({ type: 'control', control: 'UnsubscribeConfirmation' });
  });

  it('treats an SQS record with a missing body as an empty message, not a crash', () => {
    const [m] = unwrapSqsRecord({ messageId: 'x' }) as InboundMessage[];
    expect(m!.raw).toBe('');
    expect(m!.context.sqs?.messageId).toBe('x');
  });
});
