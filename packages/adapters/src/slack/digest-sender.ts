import { WebClient } from '@slack/web-api';
import { renderDigestSlack, spendChartAlt, type Digest, type SlackReceiver } from '@spend-alerts/core';
import { DeliveryError } from '../errors.ts';
import { SlackFileUploader } from './files.ts';
import { classifySlackError } from './notifier.ts';

export interface SlackDigestSenderOptions {
  /** Read at the first send, so that a missing Slack secret does not stop email digests. */
  token: () => string;
  slackApiUrl?: string;
  timeoutMs?: number;
}

/**
 * Posts digests to Slack: the message with `chat.postMessage` (which takes a `#name` and answers
 * the channel's id), then the chart shared right under it with `files.uploadV2` (which takes ids
 * only). An image block pointing at a private upload would put the chart inside the message, but
 * Slack rejects such blocks while the file is still being processed; a shared file always shows.
 * The message is the digest: a chart that fails to upload after it is reported in the outcome,
 * not retried, since a retry would post the message twice; the message is then edited so it no
 * longer says the chart follows.
 */
export class SlackDigestSender {
  readonly channel = 'slack' as const;
  private clients?: { web: WebClient; files: SlackFileUploader };

  constructor(private readonly options: SlackDigestSenderOptions) {}

  /** Throws `DeliveryError` when the message could not be posted. */
  async send(
    digest: Digest,
    receiver: SlackReceiver,
    chart: Buffer | null,
  ): Promise<{ ref: string | null; chart: 'uploaded' | 'none' | `failed: ${string}` }> {
    const { web, files } = this.connect();
    const message = renderDigestSlack(digest, { chartFollows: chart !== null });
    let posted: { channel?: string; ts?: string };
    try {
      posted = await web.chat.postMessage({
        channel: receiver.channel,
        text: message.text,
        blocks: message.blocks as never,
        // Marks the message as a digest for Slack apps and local counts; it carries no event ids.
        metadata: { event_type: 'spend_digest', event_payload: { receiver: receiver.name, period: digest.period.key } },
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (error) {
      const failure = classifySlackError(error);
      throw new DeliveryError(`Slack ${failure.code}`, failure.failure, {
        code: failure.code,
        status: failure.status,
        retryAfterMs: failure.retryAfterMs,
        cause: error,
      });
    }
    const ref = posted.ts ?? null;
    if (!chart || !digest.chart) return { ref, chart: 'none' };
    try {
      if (!posted.channel) throw new Error('Slack answered no channel id to share the chart in');
      await files.upload({
        channel: posted.channel,
        filename: `spend-chart-${digest.chart.month}.png`,
        title: chartTitle(digest.chart.month),
        altText: spendChartAlt(digest.chart),
        bytes: chart,
      });
      return { ref, chart: 'uploaded' };
    } catch (error) {
      return { ref, chart: `failed: ${(error as Error).message}${await this.withdrawChart(web, digest, posted)}` };
    }
  }

  /** Edits the posted message so it no longer says a chart follows; says what is left wrong if that fails. */
  private async withdrawChart(
    web: WebClient,
    digest: Digest,
    posted: { channel?: string; ts?: string },
  ): Promise<string> {
    if (!posted.channel || !posted.ts) return '; the message still says the chart follows';
    const message = renderDigestSlack(digest, { chartFollows: false });
    try {
      await web.chat.update({
        channel: posted.channel,
        ts: posted.ts,
        text: message.text,
        blocks: message.blocks as never,
      });
      return '';
    } catch (error) {
      return `; the message still says the chart follows (Slack ${classifySlackError(error).code})`;
    }
  }

  private connect(): { web: WebClient; files: SlackFileUploader } {
    if (!this.clients) {
      const token = this.options.token();
      // No retries inside: a failed digest is tried again by the next hourly run.
      const web = new WebClient(token, {
        slackApiUrl: this.options.slackApiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: this.options.timeoutMs ?? 10_000,
        logLevel: undefined,
      });
      this.clients = { web, files: new SlackFileUploader({ token, slackApiUrl: this.options.slackApiUrl }) };
    }
    return this.clients;
  }
}

/** `Spend in May 2026` */
function chartTitle(month: string): string {
  return `Spend in ${new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(`${month}-01T00:00:00Z`))}`;
}
