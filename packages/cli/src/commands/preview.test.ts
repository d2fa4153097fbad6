import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebhookPayloadSchema } from '@spend-alerts/core';
import { CliError } from '../io.ts';
import { memoryIo } from '../testing.ts';
import { previewCommand } from './preview.ts';

const budget = (name = 'web', account = '111111111111') => `AWS Budget Notification May 14, 2026
AWS Account ${account}

Budget Name: ${name}
Budget Type: Cost
Budgeted Amount: $500.00
Alert Type: ACTUAL
Alert Threshold: > $400.00
ACTUAL Amount: $560.00
`;

const CONFIG = `
accounts:
  "111111111111": { name: production }
email: { from: spend-alerts@example.com }
receivers:
  - { name: finops-slack, type: slack, channel: "#finops-alerts", mention: { critical: "@here" } }
  - { name: data-slack, type: slack, channel: "#data-costs" }
  - { name: finops-mail, type: email, to: [finops@example.com] }
route:
  receiver: finops-slack
  routes:
    - name: data-team
      matchers: ['budgetName = "data"']
      receiver: data-slack
`;

function files(entries: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sa-preview-'));
  for (const [name, text] of Object.entries(entries)) writeFileSync(join(dir, name), text);
  return dir;
}

async function preview(args: string[], entries: Record<string, string> = { 'budget.txt': budget() }) {
  const io = memoryIo('', files({ 'spend-alerts.config.yaml': CONFIG, ...entries }));
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--group') values.group = true;
    else if (a.startsWith('--')) values[a.slice(2)] = args[++i]!;
    else positionals.push(a);
  }
  const code = await previewCommand.run({ values, positionals }, io);
  return { code, out: io.out, err: io.err };
}

/** stdout holds one pretty JSON document after another. */
const documents = (out: string) => out.split(/\n(?=\{)/).map((d) => JSON.parse(d));

describe('spend-alerts preview', () => {
  it('prints the chat.postMessage body for Slack, with a built-in receiver', async () => {
    const { code, out, err } = await preview(['budget.txt', '--channel', 'slack']);
    expect(code).toBe(0);
    const [body, ...rest] = documents(out);
    expect(rest).toHaveLength(0);
    expect(Object.keys(body)).toEqual(['channel', 'text', 'blocks', 'attachments']);
    expect(body.channel).toBe('#preview');
    expect(body.text).toContain('Budget "web": actual $560.00 (112% of $500.00)');
    expect(JSON.stringify(body.blocks)).not.toContain('Top services');
    expect(err).toContain('preview: slack receiver preview (#preview), route preview, 1 event');
  });

  it('adds sample cost data with --enrichment sample', async () => {
    const { out } = await preview(['budget.txt', '--channel', 'slack', '--enrichment', 'sample']);
    expect(JSON.stringify(documents(out)[0].blocks)).toContain('*Top services*');
  });

  it('prints the subject, then the text part, then the HTML part for email', async () => {
    const { code, out } = await preview(['budget.txt', '--channel', 'email']);
    expect(code).toBe(0);
    expect(
      out.startsWith(
        'To: alerts@example.com\nSubject: [critical] Budget "web" at 112% of $500.00 (actual $560.00)\n\n----- text/plain -----\n[CRITICAL · BUDGET]',
      ),
    ).toBe(true);
    expect(out.indexOf('----- text/html -----\n<!DOCTYPE html>')).toBeGreaterThan(
      out.indexOf('----- text/plain -----'),
    );
  });

  it('prints one webhook payload per event, without raw', async () => {
    const records = JSON.stringify({
      Records: [1, 2].map((i) => ({ messageId: String(i), eventSource: 'aws:sqs', body: budget(`team-${i}`) })),
    });
    const { code, out } = await preview(['batch.json', '--channel', 'webhook'], { 'batch.json': records });
    expect(code).toBe(0);
    const payloads = documents(out).map((p) => WebhookPayloadSchema.parse(p));
    expect(payloads.map((p) => p.data.kind === 'budget' && p.data.budget.name)).toEqual(['team-1', 'team-2']);
    expect(out).not.toContain('"raw"');
  });

  it('prints the Adaptive Card message for Teams, never the workflow URL or its secret', async () => {
    const { code, out, err } = await preview(['budget.txt', '--channel', 'teams']);
    expect(code).toBe(0);
    expect(err).toContain('preview: teams receiver preview, route preview, 1 event');
    const [message, ...rest] = documents(out);
    expect(rest).toEqual([]);
    expect(message.type).toBe('message');
    expect(message.spendAlerts).toMatchObject({ kind: 'alert', receiver: 'preview' });
    expect(message.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(message.attachments[0].content.body[0].text).toContain('web');
    expect(out).not.toContain('PreviewTeamsWorkflowUrl');
  });

  it('groups the file’s events into one notification with --group', async () => {
    const records = JSON.stringify({
      Records: [1, 2, 3].map((i) => ({ messageId: String(i), eventSource: 'aws:sqs', body: budget(`team-${i}`) })),
    });
    const { out } = await preview(['batch.json', '--channel', 'slack', '--group'], { 'batch.json': records });
    const [body, ...rest] = documents(out);
    expect(rest).toHaveLength(0);
    expect(body.blocks[0].text.text).toBe('🔴 3 budget alerts for account 111111111111');
  });

  it('renders for the receivers the configured routes reach, with account names and mentions', async () => {
    const dataBudget = await preview(['data.txt', '--channel', 'slack', '--config', 'spend-alerts.config.yaml'], {
      'data.txt': budget('data'),
    });
    expect(dataBudget.code).toBe(0);
    const [body] = documents(dataBudget.out);
    expect(body.channel).toBe('#data-costs');
    expect(body.text.startsWith('🔴 Budget "data"')).toBe(true);
    expect(dataBudget.err).toContain('route data-team');

    const other = await preview(['budget.txt', '--channel', 'slack', '--config', 'spend-alerts.config.yaml']);
    const [finops] = documents(other.out);
    expect(finops.channel).toBe('#finops-alerts');
    expect(finops.text.startsWith('<!here> 🔴 Budget "web"')).toBe(true);
    expect(finops.text).toContain('· production');
  });

  it('exits 1 when no receiver of the channel is reached', async () => {
    const { code, out, err } = await preview([
      'budget.txt',
      '--channel',
      'email',
      '--config',
      'spend-alerts.config.yaml',
    ]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('spend-alerts.config.yaml: no email receiver is reached by this event');
  });

  it('exits 1 when the file holds no spend event', async () => {
    const confirmation = JSON.stringify({
      Type: 'SubscriptionConfirmation',
      TopicArn: 'arn:aws:sns:us-east-1:1:t',
      Message: 'confirm',
      SubscribeURL: 'https://confirm',
    });
    const { code, err } = await preview(['c.json', '--channel', 'slack'], { 'c.json': confirmation });
    expect(code).toBe(1);
    expect(err).toContain('c.json: no spend events to preview');
  });

  it.each([
    ['no channel', ['budget.txt'], 'give --channel slack|email|webhook|teams'],
    ['an unknown channel', ['budget.txt', '--channel', 'sms'], 'give --channel slack|email|webhook|teams'],
    [
      'an unknown enrichment',
      ['budget.txt', '--channel', 'slack', '--enrichment', 'real'],
      '--enrichment is sample or none, not "real"',
    ],
    ['a missing file', ['nope.txt', '--channel', 'slack'], 'cannot read nope.txt: no such file'],
  ])('is a usage error with %s', async (_, args, message) => {
    const error = await preview(args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toContain(message);
  });
});
