import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackApi, type SlackApi } from './slack-api.ts';

let slack: SlackApi;
beforeEach(async () => {
  slack = await startSlackApi();
});
afterEach(() => slack.close());

const client = () =>
  new WebClient(slack.token, {
    slackApiUrl: slack.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
  });

describe('Slack stand-in with the posting rate limit on', () => {
  it('answers 429 with Retry-After beyond the burst, per channel, and stores nothing it refused', async () => {
    // A slow refill, so that nothing comes back while the test runs.
    slack.postRateLimit.configure({ perSecond: 0.1, burst: 2 });
    const web = client();
    await web.chat.postMessage({ channel: '#finops-alerts', text: 'one' });
    await web.chat.postMessage({ channel: 'C0FINOPS001', text: 'two' });
    await expect(web.chat.postMessage({ channel: '#finops-alerts', text: 'three' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 10,
    });
    await web.chat.postMessage({ channel: '#data-costs', text: 'other channel' });

    expect(slack.messages.map((m) => m.text)).toEqual(['one', 'two', 'other channel']);
    expect(slack.calls.map((c) => [c.status, c.error ?? ''])).toEqual([
      [200, ''],
      [200, ''],
      [429, 'ratelimited'],
      [200, ''],
    ]);
    expect(slack.postRateLimit.refused).toBe(1);
  });

  it('limits posts only: other methods and a wrong token are answered as before', async () => {
    slack.postRateLimit.configure({ perSecond: 0.1, burst: 1 });
    const web = client();
    await web.chat.postMessage({ channel: '#finops-alerts', text: 'one' });
    expect((await web.conversations.info({ channel: 'C0FINOPS001' })).ok).toBe(true);
    const stranger = new WebClient('xoxb-wrong', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    await expect(stranger.chat.postMessage({ channel: '#finops-alerts', text: 'x' })).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
    expect(slack.postRateLimit.refused).toBe(0);
  });
});
