import { once } from 'node:events';
import { ErrorCode, LogLevel, WebClient, WebClientEvent, type WebClientOptions } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackApi, type SlackApi } from './slack-api.ts';

// A real 1x1 PNG, so the upload path carries binary bytes, not text.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
const blocks = [
  { type: 'header', text: { type: 'plain_text', text: 'Budget exceeded' } },
  { type: 'section', text: { type: 'mrkdwn', text: '*prod-monthly*: $1,234.56 of $1,000.00' } },
];

let slack: SlackApi;
beforeEach(async () => {
  slack = await startSlackApi({
    channels: [
      { name: 'finops-alerts', id: 'C0FINOPS001' },
      { name: 'private-ops', id: 'C0PRIVOPS01', joined: false },
    ],
  });
});
afterEach(() => slack.close());

function client(options: WebClientOptions = {}, token = slack.token): WebClient {
  return new WebClient(token, {
    slackApiUrl: slack.url,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
    ...options,
  });
}

describe('Slack Web API stand-in, driven by the real @slack/web-api client', () => {
  it('answers auth.test with the bot identity', async () => {
    const result = await client().auth.test();
    expect(result).toMatchObject({ ok: true, team_id: 'T0LOCAL0001', user_id: 'U0LOCALBOT1', bot_id: 'B0LOCALBOT1' });
  });

  it('stores a message with blocks, then a threaded reply with reply_broadcast', async () => {
    const web = client();
    const parent = await web.chat.postMessage({ channel: '#finops-alerts', text: 'Budget exceeded', blocks });
    const reply = await web.chat.postMessage({
      channel: 'C0FINOPS001',
      thread_ts: parent.ts!,
      reply_broadcast: true,
      text: 'Top services: EC2, S3',
      username: 'spend-alerts',
    });

    expect(parent).toMatchObject({ ok: true, channel: 'C0FINOPS001', message: { text: 'Budget exceeded', blocks } });
    expect(reply.message?.thread_ts).toBe(parent.ts);
    expect(slack.messages).toMatchObject([
      { channel: 'C0FINOPS001', channelName: 'finops-alerts', ts: parent.ts, text: 'Budget exceeded', blocks },
      { ts: reply.ts, thread_ts: parent.ts, reply_broadcast: true, username: 'spend-alerts' },
    ]);
    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
    expect(slack.calls.map((c) => [c.method, c.token])).toEqual([
      ['chat.postMessage', 'xoxb-local-test'],
      ['chat.postMessage', 'xoxb-local-test'],
    ]);
  });

  it('streams messages to listeners as they arrive', async () => {
    const seen = once(slack.events, 'message');
    await client().chat.postMessage({ channel: '#finops-alerts', text: 'live' });
    const [message] = await seen;
    expect(message).toMatchObject({ text: 'live', channel: 'C0FINOPS001' });
  });

  it('updates a message by channel id and ts, and rejects a channel name as Slack does', async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: '#finops-alerts', text: 'v1' });
    await web.chat.update({ channel: 'C0FINOPS001', ts: posted.ts!, text: 'v2' });
    expect(slack.messages[0]).toMatchObject({ text: 'v2', editedAt: expect.any(Date) });
    await expect(web.chat.update({ channel: '#finops-alerts', ts: posted.ts!, text: 'v3' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
  });

  it('uploads a PNG with filesUploadV2 into a thread: URL, bytes, then completion', async () => {
    const web = client();
    const parent = await web.chat.postMessage({ channel: '#finops-alerts', text: 'Anomaly' });
    const result = await web.filesUploadV2({
      channel_id: 'C0FINOPS001',
      thread_ts: parent.ts!,
      file: PNG,
      filename: 'spend-by-service.png',
      title: 'Spend by service',
      initial_comment: 'Last 7 days',
    });

    expect(slack.files).toHaveLength(1);
    const [file] = slack.files;
    expect(file).toMatchObject({
      filename: 'spend-by-service.png',
      title: 'Spend by service',
      mimetype: 'image/png',
      channel: 'C0FINOPS001',
      thread_ts: parent.ts,
      length: PNG.length,
    });
    expect(file!.bytes.equals(PNG)).toBe(true);
    expect(JSON.stringify(result)).toContain(file!.id);
    expect(slack.messages[1]).toMatchObject({ subtype: 'file_share', thread_ts: parent.ts, files: [file!.id] });
    expect(slack.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
  });

  it('throws invalid_auth for a wrong token and not_authed for none', async () => {
    await expect(client({}, 'xoxb-wrong').auth.test()).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'invalid_auth' },
    });
    await expect(client({}, '').auth.test()).rejects.toMatchObject({ data: { error: 'not_authed' } });
    expect(slack.calls.map((c) => c.token)).toEqual(['xoxb-wrong', undefined]);
  });

  it('answers channel_not_found, not_in_channel and no_text, storing nothing', async () => {
    const web = client();
    await expect(web.chat.postMessage({ channel: '#nope', text: 'x' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    await expect(web.chat.postMessage({ channel: '#private-ops', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_in_channel' },
    });
    await expect(web.apiCall('chat.postMessage', { channel: '#finops-alerts' })).rejects.toMatchObject({
      data: { error: 'no_text' },
    });
    expect(slack.messages).toEqual([]);
  });

  it('honours a scripted 429: the client waits Retry-After seconds, retries and succeeds', async () => {
    slack.faults.script({ target: 'chat.postMessage', status: 429, retryAfter: 1 });
    const web = client({ retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 1 } });
    const rateLimited = new Promise<number>((resolve) => web.once(WebClientEvent.RATE_LIMITED, resolve));

    const result = await web.chat.postMessage({ channel: '#finops-alerts', text: 'after a 429' });

    expect(result.ok).toBe(true);
    expect(await rateLimited).toBe(1);
    const [first, second] = slack.calls;
    expect([first?.status, first?.error, second?.status]).toEqual([429, 'ratelimited', 200]);
    expect(second!.at.getTime() - first!.at.getTime()).toBeGreaterThanOrEqual(900);
    expect(slack.messages).toHaveLength(1);
  });

  it('lets rejectRateLimitedCalls surface the 429 as a rate-limited error', async () => {
    slack.faults.script({ status: 429, retryAfter: 7 });
    const web = client({ rejectRateLimitedCalls: true });
    await expect(web.chat.postMessage({ channel: '#finops-alerts', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    expect(slack.messages).toEqual([]);
  });

  it('turns a scripted 500 into an HTTP error when retries are off', async () => {
    slack.faults.script({ status: 500 });
    await expect(client().chat.postMessage({ channel: '#finops-alerts', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 500,
    });
    expect(slack.messages).toEqual([]);
  });

  it('scripts a platform error on one method only, leaving other calls alone', async () => {
    slack.faults.script({ target: 'chat.postMessage', status: 200, error: 'channel_not_found' });
    const web = client();
    await expect(web.auth.test()).resolves.toMatchObject({ ok: true });
    await expect(web.chat.postMessage({ channel: '#finops-alerts', text: 'x' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    await expect(web.chat.postMessage({ channel: '#finops-alerts', text: 'y' })).resolves.toMatchObject({ ok: true });
  });

  it('can lose a response after posting, so a retrying client duplicates the message', async () => {
    slack.faults.script({ status: 503, processed: true });
    const web = client({ retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 1 } });
    await web.chat.postMessage({ channel: '#finops-alerts', text: 'once?' });
    expect(slack.messages.map((m) => m.text)).toEqual(['once?', 'once?']);
  });

  it('stalls past the client timeout, which surfaces as a request error', async () => {
    slack.faults.script({ stallMs: 10_000 });
    await expect(client({ timeout: 200 }).auth.test()).rejects.toMatchObject({ code: ErrorCode.RequestError });
  });

  it('draws the same faults from the same seed', async () => {
    const statuses = async () => {
      slack.reset();
      slack.faults.randomly({ rate429: 0.3, rate5xx: 0.3, seed: 42 });
      // Rejecting 429s at once keeps the client from waiting out each Retry-After.
      const web = client({ rejectRateLimitedCalls: true });
      for (let i = 0; i < 12; i++) await web.auth.test().catch(() => undefined);
      return slack.calls.map((c) => c.status);
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 500]));
  });

  it('accepts JSON bodies with a bearer token, as Slack does for write methods', async () => {
    const response = await fetch(`${slack.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0FINOPS001', blocks, text: 'json' }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0FINOPS001' });
    expect(slack.messages[0]).toMatchObject({ text: 'json', blocks });
  });

  it('lists channels with membership', async () => {
    const { channels } = await client().conversations.list();
    expect(channels?.map((c) => [c.name, c.is_member])).toEqual([
      ['finops-alerts', true],
      ['private-ops', false],
    ]);
  });
});
