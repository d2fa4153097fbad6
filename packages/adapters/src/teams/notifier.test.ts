import { describe, expect, it } from 'vitest';
import { ReceiverSchema, readInput, type Notification, type TeamsReceiver } from '@spend-alerts/core';
import { DeliveryError } from '../errors.ts';
import { TeamsNotifier } from './notifier.ts';

/**
 * The Teams notifier's refusals, decided before any connection: the SSRF check on the workflow
 * URL's address, https only, loopback for the local runtime only (never in Lambda), and errors that
 * never quote the URL. No network: the resolver is given.
 */
const receiver = ReceiverSchema.parse({ type: 'teams', name: 'platform', urlSecret: 'TeamsUrl' }) as TeamsReceiver;
const event = readInput(
  'AWS Budget Notification May 14, 2026\nAWS Account 111111111111\n\nBudget Name: web\nBudget Type: Cost\nBudgeted Amount: $1\nAlert Type: ACTUAL\n',
).events[0]!;
const notification: Notification<TeamsReceiver> = {
  events: [{ event, enrichment: null }],
  receiver,
  route: 'route',
  groupKey: '{}',
};
const SIG = 'c2lnLXRoYXQtbGV0cy1hbnlvbmUtcG9zdA';

async function refusal(url: string, options: { address?: string; allowLoopback?: boolean; lambda?: boolean } = {}) {
  const notifier = new TeamsNotifier({
    secrets: (name) => (name === 'TeamsUrl' ? url : ''),
    resolve: async () => [{ address: options.address ?? '52.96.0.1', family: 4 }],
    allowLoopback: options.allowLoopback,
    env: options.lambda ? { AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' } : {},
  });
  const error = await notifier.deliver(notification, { idempotencyKey: 'k', attempt: 1 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeliveryError);
  const text = `${(error as Error).message} ${JSON.stringify({ ...(error as object), cause: undefined })}`;
  expect(text).not.toContain(SIG);
  expect(text).not.toContain('prod-00.westus.logic.azure.com');
  return error as DeliveryError;
}

const url = (host: string, scheme = 'https') =>
  `${scheme}://${host}/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=${SIG}`;

describe('the Teams notifier refuses, for good and without naming the URL', () => {
  it.each([
    ['the cloud metadata address', '169.254.169.254'],
    ['a private address', '10.0.0.7'],
    ['loopback', '127.0.0.1'],
  ])('a workflow host that resolves to %s', async (_name, address) => {
    const error = await refusal(url('prod-00.westus.logic.azure.com'), { address });
    expect(error.failure).toBe('permanent');
    expect(error.message).toMatch(/^the Teams workflow host resolves to/);
  });

  it('plain http, and a URL that is not one', async () => {
    expect((await refusal(url('prod-00.westus.logic.azure.com', 'http'))).message).toBe(
      'the Teams workflow URL must be https',
    );
    expect((await refusal(`not a url ${SIG}`)).message).toBe('the Teams workflow URL is not a valid URL');
  });

  it('loopback even when allowed, inside AWS Lambda', async () => {
    const error = await refusal(url('127.0.0.1:9001'), { address: '127.0.0.1', allowLoopback: true, lambda: true });
    expect(error.message).toMatch(/loopback/);
  });

  it('a secret that is not set, naming the secret only', async () => {
    const notifier = new TeamsNotifier({
      secrets: () => {
        throw new Error('secret "TeamsUrl" is not set');
      },
    });
    const error = (await notifier
      .deliver(notification, { idempotencyKey: 'k', attempt: 1 })
      .catch((e) => e)) as DeliveryError;
    expect(error.failure).toBe('permanent');
    expect(error.message).toBe('secret "TeamsUrl" is not set');
  });
});
