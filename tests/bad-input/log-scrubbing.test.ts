import { describe, expect, it } from 'vitest';
import type { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { createLogger, scrub, scrubValue } from '@spend-alerts/adapters';
import { SqsQueueActions } from '@spend-alerts/functions/runtime/sqs-actions.ts';

/**
 * Whatever reaches a log line, at whatever depth and in whatever key case, carries no secret:
 * messages, `reason` fields, nested objects, child-logger fields and errors.
 */

const SECRETS = [
  'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp',
  'xoxp-1234-5678-abcd',
  'xapp-1-A0123456789-1234567890-abcdef0123456789',
  'xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA',
  'xoxe-1-My0xLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA',
  'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  'https://hooks.example.com/services/T000/B000/XXXXSECRETXXXX',
];

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (l: string) => void lines.push(l) } });
  return { logger, text: () => lines.join('') };
}

describe('log scrubbing', () => {
  it.each(SECRETS)('scrub removes %s from free text', (secret) => {
    expect(scrub(`failed with ${secret} in it`)).not.toContain(secret.slice(8));
  });

  it('keeps AWS console links, and refuses look-alike hosts', () => {
    const link = 'https://console.aws.amazon.com/costmanagement/home#/budgets';
    expect(scrub(`see ${link}`)).toContain(link);
    expect(scrub('see https://console.aws.amazon.com.evil.example/x?t=s3cr3t')).not.toContain('s3cr3t');
    expect(scrub('see https://evil.example/console.aws.amazon.com/?t=s3cr3t')).not.toContain('s3cr3t');
  });

  it('scrubs every string value of a log line: reason, nested fields, arrays, child-logger fields', () => {
    const { logger, text } = capture();
    const child = logger.child({ receiver: 'hook', target: { webhook: { url: SECRETS[6] } } });
    child.warn(
      {
        reason: `slack said invalid_auth for ${SECRETS[0]}`,
        outcome: 'dead-lettered',
        request: { headers: { Authorization: 'Bearer abc.def.ghi', 'X-Api-Key': 'k-123' } },
        nested: { deeper: { url: SECRETS[6], list: [SECRETS[2], { token: SECRETS[3] }] } },
        AUTHORIZATION: 'Basic dXNlcjpwYXNz',
      },
      `delivery failed: ${SECRETS[4]}`,
    );
    child.error(new Error(`signing with ${SECRETS[5]} failed at ${SECRETS[6]}`));
    const out = text();
    for (const secret of [...SECRETS, 'abc.def.ghi', 'k-123', 'dXNlcjpwYXNz'])
      expect(out, `${secret} in ${out}`).not.toContain(secret);
    // What is not secret stays readable.
    expect(out).toContain('"outcome":"dead-lettered"');
    expect(out).toContain('slack said invalid_auth for [secret]');
    expect(out).toContain('"receiver":"hook"');
  });

  it('scrubValue survives cycles and depth', () => {
    const a: Record<string, unknown> = { name: 'a', text: SECRETS[0] };
    a.self = a;
    const out = JSON.stringify(scrubValue(a));
    expect(out).not.toContain(SECRETS[0]);
    expect(out).toContain('[…]');
  });
});

describe('dead-letter attributes', () => {
  it('carry the reason scrubbed: people read them with `spend-alerts dlq list`', async () => {
    const sent: SendMessageCommand[] = [];
    const sqs = { send: async (c: SendMessageCommand) => void sent.push(c) } as unknown as SQSClient;
    const actions = new SqsQueueActions(sqs, 'https://q/main', 'https://q/dlq', 'slack');
    const record = { messageId: 'm-1', body: '{}', attributes: {}, messageAttributes: {} } as unknown as SQSRecord;
    await actions.deadLetter(record, { reason: `invalid_auth for ${SECRETS[2]} at ${SECRETS[6]}`, receiver: 'ops' });
    const attributes = JSON.stringify(sent[0]!.input.MessageAttributes);
    expect(attributes).toContain('invalid_auth for [secret] at [url]');
    for (const secret of SECRETS) expect(attributes).not.toContain(secret);
  });
});
