import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { renderEmail, type AccountDirectory, type EmailReceiver, type Notification } from '@spend-alerts/core';
import { classifyAwsError, DeliveryError } from '../errors.ts';
import type { DeliveryContext, DeliveryResult, Notifier } from '../notifier.ts';

/** SES errors that no retry fixes: an unverified sender, a rejected message, a suspended account. */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'NotFoundException',
  'BadRequestException',
]);

export interface SesNotifierOptions {
  client?: SESv2Client;
  /** The verified SES identity alerts are sent from. */
  from: string;
  configurationSet?: string;
  accounts?: AccountDirectory;
}

/** Sends alerts with SES v2 `SendEmail`: an HTML part and a plain-text part. */
export class SesNotifier implements Notifier<EmailReceiver> {
  readonly channel = 'email' as const;
  readonly perEvent = false;
  // SES takes no idempotency key and has no lookup: bound a crash to one repeated email per consumer.
  readonly oneAtATime = true;
  private readonly client: SESv2Client;

  constructor(private readonly options: SesNotifierOptions) {
    this.client = options.client ?? new SESv2Client({});
  }

  async deliver(n: Notification<EmailReceiver>, _context: DeliveryContext): Promise<DeliveryResult> {
    const email = renderEmail(n, { accounts: this.options.accounts, now: new Date() });
    try {
      const out = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.options.from,
          Destination: { ToAddresses: n.receiver.to, CcAddresses: n.receiver.cc.length ? n.receiver.cc : undefined },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
              // Which events the email carries, for mail rules and for counting duplicates.
              Headers: [{ Name: 'X-Spend-Alerts-Events', Value: n.events.map((e) => e.event.id).join(',') }],
            },
          },
          ConfigurationSetName: this.options.configurationSet,
        }),
      );
      return { ref: out.MessageId ?? null };
    } catch (error) {
      const name = (error as Error)?.name ?? 'Error';
      const failure = PERMANENT.has(name) ? 'permanent' : classifyAwsError(error);
      throw new DeliveryError(`SES ${name}`, failure, {
        code: name,
        status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
        cause: error,
      });
    }
  }
}
