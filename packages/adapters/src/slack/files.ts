import { WebClient } from '@slack/web-api';
import { DeliveryError } from '../errors.ts';
import { classifySlackError } from './notifier.ts';

export interface SlackFileUploaderOptions {
  /** The bot token (resolved from a secret by the caller); needs the `files:write` scope. */
  token: string;
  /** `https://slack.com/api/` unless a local stand-in is used. */
  slackApiUrl?: string;
  timeoutMs?: number;
}

/** One file to upload. */
export interface SlackFileUpload {
  /**
   * The channel id (`C0123456789`) to share it in: `files.completeUploadExternal` takes ids only,
   * not `#names` (`chat.postMessage` answers the id of the channel it posted to). Without it the
   * file stays private to the bot.
   */
  channel?: string;
  /** Share it as a reply in this thread (needs `channel`). */
  threadTs?: string;
  filename: string;
  title: string;
  /** For screen readers: what the image shows. */
  altText: string;
  bytes: Buffer;
  /** Text posted with the file. */
  initialComment?: string;
}

export interface UploadedSlackFile {
  id: string;
  permalink: string | null;
}

/**
 * Uploads files with `files.uploadV2` (`files.getUploadURLExternal`, a POST of the bytes, then
 * `files.completeUploadExternal`; the older `files.upload` was retired). Failures are classified as
 * the notifier classifies them and thrown as `DeliveryError`, whose message carries the Slack code
 * and never the token.
 */
export class SlackFileUploader {
  private readonly client: WebClient;

  constructor(options: SlackFileUploaderOptions) {
    this.client = new WebClient(options.token, {
      slackApiUrl: options.slackApiUrl,
      // As for messages: whether and when to try again is the caller's decision.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: options.timeoutMs ?? 20_000,
      logLevel: undefined,
    });
  }

  /** @example await uploader.upload({ channel: 'C0FINOPS001', filename: 'spend-chart.png', title: 'Spend in May 2026', altText, bytes }) */
  async upload(file: SlackFileUpload): Promise<UploadedSlackFile> {
    const destination = file.channel
      ? file.threadTs
        ? { channel_id: file.channel, thread_ts: file.threadTs }
        : { channel_id: file.channel }
      : {};
    try {
      const result = await this.client.filesUploadV2({
        file: file.bytes,
        filename: file.filename,
        title: file.title,
        alt_text: file.altText,
        ...(file.initialComment ? { initial_comment: file.initialComment } : {}),
        ...destination,
      });
      const uploaded = result.files[0]?.files?.[0];
      if (!uploaded?.id) throw new DeliveryError('Slack files.completeUploadExternal answered no file', 'transient');
      return { id: uploaded.id, permalink: uploaded.permalink ?? null };
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      const failure = classifySlackError(error);
      throw new DeliveryError(`Slack file upload ${failure.code}`, failure.failure, {
        code: failure.code,
        status: failure.status,
        retryAfterMs: failure.retryAfterMs,
        cause: error,
      });
    }
  }
}
