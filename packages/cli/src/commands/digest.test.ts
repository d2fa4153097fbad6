import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../io.ts';
import { memoryIo } from '../testing.ts';
import { digestCommand } from './digest.ts';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'digest-preview-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const run = (values: Record<string, string>, positionals = ['preview'], cwd = REPO) => {
  const io = memoryIo('', cwd);
  return { io, done: digestCommand.run({ values, positionals }, io) };
};

describe('digest preview', () => {
  it('writes the email, text, Slack blocks, Teams card and chart of every digest receiver of the config', async () => {
    const { io, done } = run({ out, at: '2024-04-01T13:05:00Z' });
    expect(await done).toBe(0);
    expect(io.err).toContain('email receiver finops-digest, period day:2024-03-31@Europe/Berlin');
    expect(io.err).toContain('slack receiver leadership-weekly, period week:2024-03-25@America/New_York');
    for (const receiver of ['finops-digest', 'leadership-weekly']) {
      expect((await readdir(join(out, receiver))).sort()).toEqual([
        'chart.png',
        'chart.svg',
        'email.html',
        'email.txt',
        'slack.json',
        'teams.json',
      ]);
      expect(io.out).toContain(join(out, receiver, 'email.html'));
    }
    expect(io.err).toContain('teams receiver platform-teams-digest, period day:2024-03-31@Europe/London');

    const html = await readFile(join(out, 'finops-digest', 'email.html'), 'utf8');
    // A browser cannot resolve cid:, so the preview loads the PNG written beside it.
    expect(html).toContain('<img src="chart.png"');
    expect(html).toContain('Sunday 31 March 2024');
    expect(html).toContain('>Budgets</h2>');
    const png = await readFile(join(out, 'finops-digest', 'chart.png'));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.readUInt32BE(16)).toBe(1440);

    const text = await readFile(join(out, 'finops-digest', 'email.txt'), 'utf8');
    expect(text).toMatch(/^Subject: Spend digest, Sunday 31 March 2024: \d+ alerts · month to date/);
    const slack = JSON.parse(await readFile(join(out, 'leadership-weekly', 'slack.json'), 'utf8'));
    expect(slack.blocks[0].text.text).toBe('📊 Weekly spend digest: 25–31 March 2024');
    const teams = JSON.parse(await readFile(join(out, 'platform-teams-digest', 'teams.json'), 'utf8'));
    expect(teams.type).toBe('message');
    expect(teams.spendAlerts).toEqual({
      kind: 'digest',
      receiver: 'platform-teams-digest',
      eventIds: [],
      period: 'day:2024-03-31@Europe/London',
    });
    const card = teams.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.body[0].text).toBe('📊 Daily spend digest: Sunday 31 March 2024');
  });

  it('previews one receiver, from given messages, as all quiet when none falls in the period', async () => {
    const dir = join(out, 'one');
    const { io, done } = run({ out: dir, receiver: 'leadership-weekly', at: '2019-01-07T15:00:00Z' }, [
      'preview',
      'tests/fixtures/budgets/cost-daily-actual.txt',
    ]);
    expect(await done).toBe(0);
    expect(await readdir(dir)).toEqual(['leadership-weekly']);
    expect(io.err).toContain('period week:2018-12-31@America/New_York, 0 alerts, all quiet');
    const slack = JSON.parse(await readFile(join(dir, 'leadership-weekly', 'slack.json'), 'utf8'));
    expect(slack.blocks[0].text.text).toBe('✅ Weekly spend digest: 31 December 2018 – 6 January 2019');
  });

  it('uses a built-in daily receiver without a config', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'digest-noconfig-'));
    try {
      const { io, done } = run({ out: 'preview', at: '2024-03-15T09:00:00Z' }, ['preview'], empty);
      expect(await done).toBe(0);
      expect(io.err).toContain('email receiver preview-digest, period day:2024-03-14@UTC');
      expect(await readFile(join(empty, 'preview', 'preview-digest', 'email.txt'), 'utf8')).toContain(
        'monthly-total: $',
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it.each([
    [{ out: 'x' }, [], /give an action/],
    [{ out: 'x' }, ['send'], /unknown action "send"/],
    [{}, ['preview'], /give --out DIR/],
    [{ out: 'x', at: 'yesterday' }, ['preview'], /--at "yesterday" is not a time/],
    [
      { out: 'x', receiver: 'finops-slack' },
      ['preview'],
      /"finops-slack" is not a digest receiver \(digest receivers: finops-digest, leadership-weekly, platform-teams-digest\)/,
    ],
  ])('rejects bad usage: %j %j', async (values, positionals, message) => {
    const failure = run(values as Record<string, string>, positionals as string[]).done;
    await expect(failure).rejects.toThrow(CliError);
    await expect(failure).rejects.toThrow(message);
  });

  it('names a config without digest receivers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'digest-config-'));
    try {
      await writeFile(
        join(dir, 'c.yaml'),
        'receivers: [{ name: ops, type: slack, channel: "#ops" }]\nroute: { receiver: ops }\n',
      );
      await expect(run({ out: 'x', config: 'c.yaml' }, ['preview'], dir).done).rejects.toThrow(
        /no receiver with mode: digest/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
