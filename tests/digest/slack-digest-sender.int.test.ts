import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SlackReceiver } from '@spend-alerts/core';
// Digests of realistic content from core's digest tests; the Slack stand-in from packages/local.
import { digestOf } from '@spend-alerts/core/testing/digests';
import { startSlackApi, type SlackApi } from '@spend-alerts/local/standins/slack-api.ts';
import { SlackDigestSender } from '@spend-alerts/adapters/slack/digest';

const PNG = Buffer.from('\x89PNG\r\n\x1a\nchart');
const receiver: SlackReceiver = {
  name: 'leadership-weekly',
  type: 'slack',
  channel: '#cloud-spend-weekly',
  mode: 'digest',
  mention: {},
  threads: true,
};

let slack: SlackApi;
let sender: SlackDigestSender;

beforeAll(async () => {
  slack = await startSlackApi();
  sender = new SlackDigestSender({ token: () => slack.token, slackApiUrl: slack.url });
});
afterAll(() => slack.close());
beforeEach(() => slack.reset());

/** The digest message as the channel shows it now (after any edit), and its text. */
function digestMessage() {
  const message = slack.messages.find((m) => !m.subtype)!;
  return { message, shown: JSON.stringify([message.text, message.blocks]) };
}

describe('SlackDigestSender', () => {
  it('posts the message saying the chart follows, then shares the chart under it', async () => {
    const result = await sender.send(digestOf(), receiver, PNG);
    expect(result).toMatchObject({ chart: 'uploaded' });
    const { message, shown } = digestMessage();
    expect(message.ts).toBe(result.ref);
    expect(shown).toContain('The chart is attached below.');
    expect(message.editedAt).toBeUndefined();
    expect(slack.files).toHaveLength(1);
    expect(slack.messages.filter((m) => m.subtype === 'file_share')).toHaveLength(1);
  });

  it.each([
    [
      'getting an upload URL',
      { target: 'files.getUploadURLExternal', error: 'ratelimited', status: 429, retryAfter: 30 },
    ],
    ['sending the bytes', { target: 'upload', status: 500 }],
    ['completing the upload', { target: 'files.completeUploadExternal', error: 'not_in_channel' }],
  ])('when the chart fails at %s, edits the message so it no longer says the chart follows', async (_, fault) => {
    slack.faults.script(fault);
    const result = await sender.send(digestOf(), receiver, PNG);
    expect(result.chart).toMatch(/^failed: /);
    expect(result.chart).not.toContain('still says');
    expect(slack.messages.filter((m) => m.subtype === 'file_share')).toHaveLength(0);
    const { message, shown } = digestMessage();
    expect(message.ts).toBe(result.ref);
    expect(message.editedAt).toBeDefined();
    expect(shown).not.toMatch(/attached|below/);
    // The figures the chart would have drawn are still there, in words.
    expect(shown).toMatch(/📈 Spend in May 2026: \$5,860 by 14 May/);
    // The rest of the digest is unchanged by the edit.
    expect(message.blocks![0]).toMatchObject({ type: 'header' });
    expect(message.metadata).toMatchObject({ event_type: 'spend_digest' });
  });

  it('says so in the outcome when the edit fails too', async () => {
    slack.faults.script(
      { target: 'files.completeUploadExternal', error: 'not_in_channel' },
      { target: 'chat.update', error: 'message_not_found' },
    );
    const result = await sender.send(digestOf(), receiver, PNG);
    expect(result.chart).toBe(
      'failed: Slack file upload not_in_channel; the message still says the chart follows (Slack message_not_found)',
    );
  });

  it('promises no chart when there is none to share', async () => {
    const result = await sender.send(digestOf(), receiver, null);
    expect(result).toMatchObject({ chart: 'none' });
    const { message, shown } = digestMessage();
    expect(shown).not.toMatch(/attached|below/);
    expect(message.editedAt).toBeUndefined();
    expect(slack.files).toHaveLength(0);
    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage']);
  });
});
