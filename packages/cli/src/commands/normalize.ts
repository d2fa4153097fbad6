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
          `${file}: SNS ${c.control} for ${c.topicArn ?? 'an unknown topic'} (not an alert)${c.subscribeUrl ? `; confirm at ${c.subscribeUrl}` : ''}\n`,
        );
      }
    }
    return 0;
  },
};
