import { readInput } from '@spend-alerts/core';
import type { Command } from '../command.ts';
import { readInputFile } from '../io.ts';

export const normalizeCommand: Command = {
  name: 'normalize',
  summary: 'Read AWS spend messages in any envelope and print one canonical event per line, as JSON.',
  usage: 'spend-alerts normalize [FILE ...|-] [--pretty]',
  details: `Reads each FILE (or standard input, with - or no FILE): a bare Budgets, CloudWatch alarm or
Cost Anomaly Detection message, an SNS envelope, a Lambda SQS or SNS event, or an EventBridge event.
SNS subscription confirmations are reported on standard error, not printed as events.

options:
  --pretty   indent each event (one JSON document per event instead of one line)`,
  options: { pretty: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    const files = positionals.length ? positionals : ['-'];
    for (const file of files) {
      const text = await readInputFile(io, file);
      const { events, controls } = readInput(text);
      for (const event of events) io.stdout(`${JSON.stringify(event, null, values.pretty ? 2 : undefined)}\n`);
      for (const c of controls) {
        io.stderr(
          `${file}: SNS ${c.control} for ${c.topicArn ?? 'an unknown topic'} (not an alert)${confirmation(c.subscribeUrl)}\n`,
        );
      }
    }
    return 0;
  },
};

/**
 * Where to confirm a subscription, only when the link is AWS's: the message is unverified, and
 * printing "confirm at" before any URL would hand a phishing link the tool's authority.
 */
function confirmation(subscribeUrl: string | null | undefined): string {
  if (!subscribeUrl) return '';
  return isSnsUrl(subscribeUrl)
    ? `; confirm at ${subscribeUrl}`
    : '; its SubscribeURL is not an AWS SNS address and is not shown';
}

/** An https URL on an SNS endpoint: `sns.<region>.amazonaws.com` (`.amazonaws.com.cn` in China). */
export function isSnsUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      url.protocol === 'https:' &&
      !url.username &&
      !url.password &&
      !url.port &&
      /^sns\.[a-z]{2}(-[a-z]+)+-\d+\.amazonaws\.com(\.cn)?$/.test(url.hostname)
    );
  } catch {
    return false;
  }
}
