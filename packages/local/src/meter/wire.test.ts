import { describe, expect, it } from 'vitest';
import { ceRefreshes, chunks, jsonServiceUsage, recipientsInHeaders, sesUsage, snsUsage, sqsUsage } from './wire.ts';

const KB64 = 64 * 1024;

describe('SQS and SNS payload chunks', () => {
  it('bill one request per 64 KB chunk, at least one', () => {
    expect([chunks(0), chunks(KB64), chunks(KB64 + 1), chunks(256 * 1024)]).toEqual([1, 1, 2, 4]);
  });

  it('bill a send by body and attributes, a batch by its whole payload, an empty receive as one', () => {
    const attributes = { a: { DataType: 'String', StringValue: 'x'.repeat(100) } };
    expect(
      sqsUsage('SendMessage', { MessageBody: 'x'.repeat(KB64 - 50), MessageAttributes: attributes }, {}, true),
    ).toEqual([{ key: 'sqs.requests', detail: 'SendMessage', quantity: 2 }]);
    const entries = Array.from({ length: 5 }, () => ({ MessageBody: 'x'.repeat(20_000) }));
    expect(sqsUsage('SendMessageBatch', { Entries: entries }, {}, true)[0]!.quantity).toBe(2);
    expect(sqsUsage('ReceiveMessage', {}, { Messages: [] }, true)).toEqual([
      { key: 'sqs.requests', detail: 'ReceiveMessage (empty)', quantity: 1 },
    ]);
    const big = { Messages: [{ Body: 'x'.repeat(40_000) }, { Body: 'x'.repeat(40_000) }] };
    expect(sqsUsage('ReceiveMessage', {}, big, true)).toEqual([
      { key: 'sqs.requests', detail: 'ReceiveMessage', quantity: 2 },
    ]);
    expect(sqsUsage('DeleteMessageBatch', {}, {}, true)[0]!.quantity).toBe(1);
    expect(sqsUsage('SendMessage', { MessageBody: 'x' }, {}, false)).toEqual([]);
  });

  it('bill an SNS publish by its message', () => {
    const form = new URLSearchParams({ Action: 'Publish', Message: 'y'.repeat(KB64 + 10) });
    expect(snsUsage(form, true)).toEqual([{ key: 'sns.publishes', detail: 'Publish', quantity: 2 }]);
    expect(snsUsage(new URLSearchParams({ Action: 'Subscribe' }), true)).toEqual([]);
  });
});

describe('SES', () => {
  it('bills each recipient, from the destination or else the raw message headers', () => {
    const simple = { Destination: { ToAddresses: ['a@x.org', 'b@x.org'], BccAddresses: ['c@x.org'] } };
    expect(sesUsage('/v2/email/outbound-emails', simple, true)).toEqual([
      { key: 'ses.recipients', detail: 'SendEmail', quantity: 3 },
    ]);
    const mime = 'To: a@x.org, B <b@x.org>\r\nCc: c@x.org\r\nSubject: s\r\nContent-ID: <chart>\r\n\r\nbody';
    const raw = { Content: { Raw: { Data: Buffer.from(mime).toString('base64') } } };
    expect(sesUsage('/v2/email/outbound-emails', raw, true)).toEqual([
      { key: 'ses.recipients', detail: 'SendEmail', quantity: 3 },
      { key: 'ses.attachmentBytes', detail: 'SendEmail', quantity: Buffer.byteLength(mime) },
    ]);
    expect(sesUsage('/v2/email/identities', simple, true)).toEqual([]);
  });

  it('reads folded address headers', () => {
    expect(recipientsInHeaders('To: a@x.org,\r\n b@x.org\r\nFrom: f@x.org\r\n\r\nTo: not@header.org')).toBe(2);
  });
});

describe('JSON services', () => {
  it('counts Cost Explorer requests (each page is one), and free Budgets and Organizations requests', () => {
    const period = { TimePeriod: { Start: '2026-05-13', End: '2026-05-15' } };
    expect(jsonServiceUsage('AWSInsightsIndexService.GetCostAndUsage', true, period)).toEqual([
      { key: 'costExplorer.requests', detail: 'GetCostAndUsage (2 days)', quantity: 1 },
    ]);
    const next = jsonServiceUsage('AWSInsightsIndexService.GetCostAndUsage', true, { ...period, NextPageToken: 't' });
    expect(next[0]!.detail).toBe('GetCostAndUsage (2 days, next page)');
    expect(
      ceRefreshes([
        { detail: 'GetCostAndUsage (2 days)', quantity: 20 },
        { detail: 'GetCostAndUsage (2 days, next page)', quantity: 4 },
        { detail: 'GetCostAndUsage (44 days)', quantity: 1 },
        { detail: 'GetCostAndUsage (44 days, next page)', quantity: 17 },
      ]),
    ).toEqual([
      { days: 2, refreshes: 20, pages: 24 },
      { days: 44, refreshes: 1, pages: 18 },
    ]);
    expect(jsonServiceUsage('AWSBudgetServiceGateway.DescribeBudget', true)[0]!.key).toBe('budgets.requests');
    expect(jsonServiceUsage('AWSOrganizationsV20161128.ListAccounts', true)[0]!.key).toBe('organizations.requests');
    expect(jsonServiceUsage('AWSInsightsIndexService.GetCostAndUsage', false)).toEqual([]);
  });
});
