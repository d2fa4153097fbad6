import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackApi, type SlackApi } from './slack-api.ts';

let slack: SlackApi;
let web: WebClient;
beforeEach(async () => {
  slack = await startSlackApi();
  web = new WebClient(slack.token, { slackApiUrl: slack.url, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
});
afterEach(() => slack.close());

const tagged = (id: string) => ({ event_type: 'spend_alert', event_payload: { delivery_id: id } });

describe('conversations.history and conversations.replies on the Slack stand-in', () => {
  it('lists top-level messages newest first, a page at a time, with metadata only when asked', async () => {
    const first = await web.chat.postMessage({ channel: '#finops-alerts', text: 'one', metadata: tagged('d1') });
    await web.chat.postMessage({ channel: '#finops-alerts', text: 'reply', thread_ts: first.ts! });
    await web.chat.postMessage({ channel: '#finops-alerts', text: 'two', metadata: tagged('d2') });
    await web.chat.postMessage({ channel: '#data-costs', text: 'elsewhere' });
    await web.chat.postMessage({ channel: '#finops-alerts', text: 'three' });

    const page1 = await web.conversations.history({ channel: 'C0FINOPS001', limit: 2, include_all_metadata: true });
    expect(page1.messages?.map((m) => m.text)).toEqual(['three', 'two']);
    expect(page1.messages?.[1]?.metadata).toEqual(tagged('d2'));
    expect(page1.has_more).toBe(true);
    const page2 = await web.conversations.history({
      channel: 'C0FINOPS001',
      limit: 2,
      cursor: page1.response_metadata!.next_cursor!,
    });
    expect(page2.messages?.map((m) => [m.text, m.metadata])).toEqual([['one', undefined]]);
    expect([page2.has_more, page2.response_metadata?.next_cursor]).toEqual([false, '']);
  });

  it('lists a thread, parent first, and names what it cannot find', async () => {
    const parent = await web.chat.postMessage({ channel: '#finops-alerts', text: 'parent' });
    await web.chat.postMessage({ channel: '#finops-alerts', text: 'r1', thread_ts: parent.ts!, metadata: tagged('r') });
    const thread = await web.conversations.replies({
      channel: 'C0FINOPS001',
      ts: parent.ts!,
      include_all_metadata: true,
    });
    expect(thread.messages?.map((m) => [m.text, m.metadata])).toEqual([
      ['parent', undefined],
      ['r1', tagged('r')],
    ]);
    await expect(web.conversations.replies({ channel: 'C0FINOPS001', ts: '1.000001' })).rejects.toMatchObject({
      data: { error: 'thread_not_found' },
    });
    // As in Slack, these methods take a channel id, not a name.
    await expect(web.conversations.history({ channel: '#finops-alerts' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
  });
});
