import { once } from 'node:events';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

// The example secret of the Standard Webhooks specification; a test value, not a credential.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const event = { type: 'spend.budget.exceeded', data: { budget: 'prod-monthly', actual: '1234.56' } };

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver({ secret: SECRET });
});
afterEach(() => receiver.close());

/** Delivers `body` signed as a Standard Webhooks sender would. */
function deliver(id: string, body: string, init: RequestInit & { sign?: string } = {}): Promise<Response> {
  const now = new Date();
  const signature = new Webhook(SECRET).sign(id, now, init.sign ?? body);
  return fetch(receiver.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
    ...init,
  });
}

describe('webhook receiver', () => {
  it('verifies a correctly signed delivery and records it', async () => {
    const body = JSON.stringify(event);
    const response = await deliver('msg_2bvx1', body);

    expect(response.status).toBe(204);
    expect(receiver.requests).toMatchObject([
      { path: '/webhook', webhookId: 'msg_2bvx1', body, json: event, verified: true, status: 204 },
    ]);
    expect(receiver.requests[0]!.verifyError).toBeUndefined();
  });

  it('refuses a tampered body with 401 and records why', async () => {
    const signed = JSON.stringify(event);
    const response = await deliver('msg_tampered', signed.replace('1234.56', '1.00'), { sign: signed });

    expect(response.status).toBe(401);
    expect(receiver.requests[0]).toMatchObject({ verified: false, verifyError: 'No matching signature found' });
  });

  it('reports missing signature headers as unverified', async () => {
    await fetch(receiver.url, { method: 'POST', body: '{}' });
    expect(receiver.requests[0]).toMatchObject({
      verified: false,
      verifyError: 'Missing required headers',
      status: 401,
    });
  });

  it('stalls past the sender timeout, so the sender aborts, yet records the delivery', async () => {
    receiver.faults.script({ stallMs: 10_000 });
    const answered = once(receiver.events, 'answered');

    await expect(deliver('msg_slow', '{}', { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    await answered;
    expect(receiver.requests[0]).toMatchObject({ webhookId: 'msg_slow', verified: true, status: 0 });
  });

  it('answers scripted statuses in order, then returns to normal', async () => {
    receiver.faults.script({ status: 503, retryAfter: 2 }, { status: 307, location: 'http://127.0.0.1:9/elsewhere' });

    const first = await deliver('msg_a', '{}');
    const second = await deliver('msg_a', '{}', { redirect: 'manual' });
    const third = await deliver('msg_a', '{}');

    expect([first.status, first.headers.get('retry-after')]).toEqual([503, '2']);
    expect([second.status, second.headers.get('location')]).toEqual([307, 'http://127.0.0.1:9/elsewhere']);
    expect(third.status).toBe(204);
  });

  it('counts duplicates by webhook-id', async () => {
    for (const id of ['msg_a', 'msg_b', 'msg_a']) await deliver(id, '{}');
    expect(receiver.distinctIds()).toEqual(['msg_a', 'msg_b']);
    expect(receiver.requests).toHaveLength(3);
  });

  it('draws the same random faults from the same seed', async () => {
    const statuses = async () => {
      receiver.reset();
      receiver.faults.randomly({ rate429: 0.3, rate5xx: 0.3, seed: 7 });
      const seen: number[] = [];
      for (let i = 0; i < 12; i++) seen.push((await deliver(`msg_${i}`, '{}')).status);
      return seen;
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([204, 429, 500]));
  });

  it('accepts only POST', async () => {
    const response = await fetch(receiver.url);
    expect([response.status, response.headers.get('allow')]).toEqual([405, 'POST']);
    expect(receiver.requests).toEqual([]);
  });

  it('streams deliveries to listeners', async () => {
    const seen: string[] = [];
    const stop = receiver.onRequest((r) => seen.push(r.webhookId ?? ''));
    await deliver('msg_live', '{}');
    stop();
    await deliver('msg_after', '{}');
    expect(seen).toEqual(['msg_live']);
  });

  it('rejects a malformed secret at start', async () => {
    await expect(startWebhookReceiver({ secret: 'whsec_' })).rejects.toThrow();
  });
});
