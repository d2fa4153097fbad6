import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// The Slack stand-in speaks the Web API's upload pair as Slack does; only tests reach into packages/local.
import { startSlackApi, type SlackApi } from '@spend-alerts/local/standins/slack-api.ts';
import { DeliveryError } from '@spend-alerts/adapters/errors';
import { SlackFileUploader } from '@spend-alerts/adapters/slack/files';

const BYTES = Buffer.from('\x89PNG\r\n\x1a\n not really a png, but bytes all the same');
const FILE = {
  filename: 'spend-chart.png',
  title: 'Spend in May 2026',
  altText: 'Spend in May 2026: $5,860 by 14 May.',
  bytes: BYTES,
};

let slack: SlackApi;
let uploader: SlackFileUploader;

beforeAll(async () => {
  slack = await startSlackApi();
  uploader = new SlackFileUploader({ token: slack.token, slackApiUrl: slack.url });
});
afterAll(() => slack.close());
beforeEach(() => slack.reset());

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('SlackFileUploader', () => {
  it('uploads the bytes and shares them in the channel, with title and alt text', async () => {
    const uploaded = await uploader.upload({ ...FILE, channel: 'C0FINOPS001' });
    expect(slack.files).toHaveLength(1);
    const [file] = slack.files;
    expect(file).toMatchObject({
      id: uploaded.id,
      filename: 'spend-chart.png',
      title: 'Spend in May 2026',
      alt_text: FILE.altText,
      channel: 'C0FINOPS001',
      mimetype: 'image/png',
    });
    expect(file!.bytes.equals(BYTES)).toBe(true);
    expect(slack.messages).toMatchObject([{ channel: 'C0FINOPS001', subtype: 'file_share', files: [uploaded.id] }]);
    expect(uploaded.permalink).toMatch(/^https:\/\//);
  });

  it('replies in a thread when given one', async () => {
    await uploader.upload({ ...FILE, channel: 'C0FINOPS001', threadTs: '1715752800.000100' });
    expect(slack.messages[0]).toMatchObject({ thread_ts: '1715752800.000100', subtype: 'file_share' });
  });

  it('keeps the file private without a channel', async () => {
    await uploader.upload(FILE);
    expect(slack.files).toMatchObject([{ filename: 'spend-chart.png' }]);
    expect(slack.files[0]!.channel).toBeUndefined();
    expect(slack.messages).toEqual([]);
  });

  it('classifies failures: a channel it is not in, or named instead of given by id, is permanent; a bad token is auth', async () => {
    const notMember = await failure(uploader.upload({ ...FILE, channel: 'C0GENERAL01' }));
    expect(notMember).toMatchObject({
      failure: 'permanent',
      retryable: false,
      message: 'Slack file upload not_in_channel',
    });
    const byName = await failure(uploader.upload({ ...FILE, channel: '#finops-alerts' }));
    expect(byName).toMatchObject({ failure: 'permanent', message: 'Slack file upload channel_not_found' });
    const badToken = new SlackFileUploader({ token: 'xoxb-not-the-token', slackApiUrl: slack.url });
    const auth = await failure(badToken.upload({ ...FILE, channel: 'C0FINOPS001' }));
    expect(auth).toMatchObject({ failure: 'auth', retryable: false });
    expect(JSON.stringify({ message: auth.message, details: auth.details.code })).not.toContain('xoxb-');
  });

  it('classifies failures: 429 is rate-limited with Slack’s wait, 5xx transient', async () => {
    slack.faults.script({ target: 'files.getUploadURLExternal', status: 429, retryAfter: 7 });
    const limited = await failure(uploader.upload({ ...FILE, channel: 'C0FINOPS001' }));
    expect(limited).toMatchObject({ failure: 'rate-limited', retryable: true, retryAfterMs: 7000 });
    slack.faults.script({ target: 'files.completeUploadExternal', status: 503 });
    const down = await failure(uploader.upload({ ...FILE, channel: 'C0FINOPS001' }));
    expect(down).toMatchObject({ failure: 'transient', retryable: true });
    expect(slack.messages).toEqual([]);
  });
});
