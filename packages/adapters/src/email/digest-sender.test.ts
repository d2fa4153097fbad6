import { SendEmailCommand, SESv2Client, SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EmailReceiver } from '@spend-alerts/core';
// Digests of realistic content from core's digest tests.
import { digestOf } from '@spend-alerts/core/testing/digests';
import { DeliveryError } from '../errors.ts';
import { SesDigestSender } from './digest-sender.ts';

const ses = mockClient(SESv2Client);
const sender = new SesDigestSender({
  client: new SESv2Client({ region: 'eu-west-1' }),
  from: 'spend-alerts@example.com',
  configurationSet: 'digests',
});
const receiver: EmailReceiver = {
  name: 'finops-digest',
  type: 'email',
  mode: 'digest',
  to: ['finops@example.com'],
  cc: ['cfo@example.com'],
};
const PNG = Buffer.from('\x89PNG\r\n\x1a\nchart');
const NOW = new Date('2026-05-15T06:05:00Z');

function awsError(name: string, status: number, fault: 'client' | 'server'): SESv2ServiceException {
  return new SESv2ServiceException({
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
    message: `${name} happened`,
  });
}

beforeEach(() => ses.reset());

describe('SesDigestSender', () => {
  it('sends raw MIME with the chart under its Content-ID, to the receiver, through the configuration set', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    expect(await sender.send(digestOf(), receiver, PNG, NOW)).toEqual({ ref: 'm-1', chart: 'inline' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'spend-alerts@example.com',
      Destination: { ToAddresses: ['finops@example.com'], CcAddresses: ['cfo@example.com'] },
      ConfigurationSetName: 'digests',
    });
    const raw = Buffer.from(input.Content!.Raw!.Data!).toString('utf8');
    expect(raw).toContain('Content-ID: <spend-chart>');
    expect(raw).toContain(`\r\n\r\n${PNG.toString('base64')}\r\n`);
    expect(raw).toContain('X-Spend-Alerts-Digest: finops-digest day:2026-05-14@Europe/Berlin');
    expect(raw.replace(/=\r\n/g, '')).toContain('src=3D"cid:spend-chart"');
  });

  it('refers to no image when the digest comes without its chart', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    const digest = digestOf();
    expect(await sender.send({ ...digest, chart: null }, receiver, null, NOW)).toEqual({ ref: 'm-2', chart: 'none' });
    const raw = Buffer.from(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content!.Raw!.Data!).toString('utf8');
    expect(raw).not.toContain('spend-chart');
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/m);
  });

  it.each([
    ['MessageRejected', 400, 'client', 'permanent'],
    ['MailFromDomainNotVerifiedException', 400, 'client', 'permanent'],
    ['TooManyRequestsException', 429, 'client', 'rate-limited'],
    ['InternalFailure', 500, 'server', 'transient'],
    ['AccessDeniedException', 403, 'client', 'auth'],
  ] as const)('classifies %s as %s', async (name, status, fault, failure) => {
    ses.on(SendEmailCommand).rejects(awsError(name, status, fault));
    const error = await sender.send(digestOf(), receiver, PNG, NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ failure, message: `SES ${name}` });
  });
});
