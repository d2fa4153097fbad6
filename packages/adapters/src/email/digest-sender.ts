import { createHash } from 'node:crypto';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { renderDigestEmail, type Digest, type EmailReceiver } from '@spend-alerts/core';
import { classifyAwsError, DeliveryError } from '../errors.ts';
import { buildRawEmail } from './raw-mime.ts';

/** SES errors that no retry fixes (the same as for alert emails). */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'NotFoundException',
  'BadRequestException',
]);

export interface SesDigestSenderOptions {
  client?: SESv2Client;
  /** The verified SES identity digests are sent from. */
  from: string;
  configurationSet?: string;
}

/**
 * Sends digest emails with SES v2 `SendEmail` and `Content.Raw`: the only form that can carry the
 * chart inline under a Content-ID, so mail clients show it in place, not as a download.
 */
export class SesDigestSender {
  readonly channel = 'email' as const;
  private readonly client: SESv2Client;

  constructor(private readonly options: SesDigestSenderOptions) {
    this.client = options.client ?? new SESv2Client({});
  }

  /**
   * Sends `digest` with `chart` (the PNG of `digest.chart`) inline. Pass a digest whose `chart` is
   * null when there is no PNG, so the HTML refers to no image. Throws `DeliveryError`.
   */
  async send(
    digest: Digest,
    receiver: EmailReceiver,
    chart: Buffer | null,
    now: Date,
  ): Promise<{ ref: string | null; chart: 'inline' | 'none' }> {
    const email = renderDigestEmail(digest);
    const inline =
      email.chart && chart
        ? [{ contentId: email.chart.cid, contentType: 'image/png', filename: 'spend-chart.png', content: chart }]
        : [];
    const domain = this.options.from.slice(this.options.from.lastIndexOf('@') + 1);
    const raw = buildRawEmail({
      from: this.options.from,
      to: receiver.to,
      cc: receiver.cc,
      subject: email.subject,
      date: now,
      // One id per receiver and period: a resend after a lost acknowledgement reads as the same message.
      messageId: `digest.${createHash('sha256').update(`${receiver.name}|${digest.period.key}`).digest('hex').slice(0, 32)}@${domain}`,
      text: email.text,
      html: email.html,
      inline,
      headers: [['X-Spend-Alerts-Digest', `${receiver.name} ${digest.period.key}`]],
    });
    try {
      const out = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.options.from,
          Destination: { ToAddresses: receiver.to, CcAddresses: receiver.cc.length ? receiver.cc : undefined },
          Content: { Raw: { Data: raw } },
          ConfigurationSetName: this.options.configurationSet,
        }),
      );
      return { ref: out.MessageId ?? null, chart: inline.length ? 'inline' : 'none' };
    } catch (error) {
      const name = (error as Error)?.name ?? 'Error';
      throw new DeliveryError(`SES ${name}`, PERMANENT.has(name) ? 'permanent' : classifyAwsError(error), {
        code: name,
        status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
        cause: error,
      });
    }
  }
}
