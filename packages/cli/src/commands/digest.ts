import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svgToPng } from '@spend-alerts/adapters';
import {
  buildDigest,
  DigestScheduleSchema,
  directoryOf,
  latestDigestPeriod,
  periodEvents,
  readInput,
  renderDigestEmail,
  renderDigestSlack,
  renderDigestTeams,
  isDigestReceiver,
  type DigestCapableReceiver,
  sampleEnrichment,
  spendChartSvg,
  type BudgetSpec,
  type Config,
  type DigestPeriod,
  type DigestSchedule,
  type SpendEvent,
} from '@spend-alerts/core';
import type { Command } from '../command.ts';
import { configPath, readConfig } from '../config.ts';
import { CliError, readInputFile, type Io } from '../io.ts';

const USAGE = 'spend-alerts digest preview [FILE ...] --out DIR [--receiver NAME] [--config FILE] [--at TIME]';
const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/', import.meta.url));
/** The fixture folders of bare messages; `envelopes/` repeats them inside envelopes. */
const SAMPLE_FOLDERS = ['budgets', 'budget-adjustment', 'cloudwatch', 'anomaly'];
/** Without a config: one daily digest and one budget, so the preview still shows everything. */
const BUILT_IN = {
  receiver: {
    name: 'preview-digest',
    schedule: DigestScheduleSchema.parse({ every: 'day', hour: 8, timeZone: 'UTC' }),
  },
  budgets: [
    {
      name: 'monthly-total',
      limit: 12000,
      period: 'monthly',
      notifications: [{ type: 'ACTUAL', thresholdPercent: 80 }],
    },
  ] satisfies BudgetSpec[],
};
/** The sample account spends at 104% of its first budget's pace, so the forecast crosses the line. */
const SAMPLE_PACE = 1.04;

interface DigestTarget {
  name: string;
  channel: DigestCapableReceiver['type'];
  schedule: DigestSchedule;
}

export const digestCommand: Command = {
  name: 'digest',
  summary: 'Preview the daily or weekly digest: HTML email, text, Slack blocks, the Teams card and the chart PNG.',
  usage: USAGE,
  details: `preview writes, for each digest receiver of the config (or the one named), a folder in DIR:
  email.html   the digest email, its chart loaded from chart.png beside it (mail uses cid:)
  email.txt    the plain-text part
  chart.png    the chart as attached to the email and uploaded to Slack (chart.svg: its source)
  slack.json   the chat.postMessage body
  teams.json   the Adaptive Card message posted to a Teams Workflows webhook (no chart: it takes no file)

The alerts are those of each FILE (any input 'normalize' reads), or else every fixture under
tests/fixtures moved into the period, so that every kind shows; costs are deterministic samples.
No routing is applied and nothing is sent.

options:
  --out DIR        where to write (created if missing)
  --receiver NAME  only this digest receiver
  --config FILE    the config (default: spend-alerts.config.yaml here; without one, a built-in
                   daily digest at 08:00 UTC against a 12,000 USD monthly budget)
  --at TIME        preview the digest due at this ISO time (default: now)`,
  options: {
    out: { type: 'string' },
    receiver: { type: 'string' },
    config: { type: 'string' },
    at: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [action, ...files] = positionals;
    if (action !== 'preview')
      throw new CliError(`digest: ${action ? `unknown action "${action}"` : 'give an action'}\nusage: ${USAGE}`);
    if (typeof values.out !== 'string') throw new CliError(`digest preview: give --out DIR\nusage: ${USAGE}`);
    const at = typeof values.at === 'string' ? new Date(values.at) : new Date();
    if (Number.isNaN(at.getTime()))
      throw new CliError(`digest preview: --at "${String(values.at)}" is not a time such as 2024-04-01T06:05:00Z`);

    const config = await optionalConfig(io, values.config);
    const targets = digestTargets(config, values.receiver);
    const budgets = config ? config.budgets : BUILT_IN.budgets;
    const given = files.length ? await readEvents(io, files) : null;
    const samples = given ? [] : await sampleEvents();
    if (!given)
      io.stderr(
        `digest preview: alerts from ${samples.length} fixture messages, moved into each period; costs are samples\n`,
      );

    for (const target of targets) {
      const period = latestDigestPeriod(target.schedule, at);
      const events = given ? periodEvents(given, period) : redate(samples, period);
      const digest = buildDigest({
        receiver: target.name,
        period,
        events,
        enrichment: sampleEnrichment(sampleCostEvent(period, budgets)),
        budgets: budgets.map((spec) => ({ spec })),
        accounts: config ? directoryOf(config) : undefined,
      });
      const dir = resolve(io.cwd, values.out, target.name);
      await mkdir(dir, { recursive: true });
      const email = renderDigestEmail(digest, { chartSrc: 'chart.png' });
      const written = ['email.html', 'email.txt', 'slack.json', 'teams.json'];
      await writeFile(join(dir, 'email.html'), email.html);
      await writeFile(join(dir, 'email.txt'), `Subject: ${email.subject}\n\n${email.text}`);
      await writeFile(join(dir, 'slack.json'), `${JSON.stringify(renderDigestSlack(digest), null, 2)}\n`);
      await writeFile(join(dir, 'teams.json'), `${JSON.stringify(renderDigestTeams(digest), null, 2)}\n`);
      if (digest.chart) {
        const svg = spendChartSvg(digest.chart);
        await writeFile(join(dir, 'chart.svg'), svg);
        await writeFile(join(dir, 'chart.png'), svgToPng(svg));
        written.push('chart.png', 'chart.svg');
      }
      const quiet = digest.empty
        ? target.schedule.sendWhenEmpty
          ? ', all quiet'
          : ', empty: would not be sent (sendWhenEmpty: false)'
        : '';
      io.stderr(
        `digest preview: ${target.channel} receiver ${target.name}, period ${period.key}, ${events.length} alerts${quiet}\n`,
      );
      for (const file of written) io.stdout(`${join(dir, file)}\n`);
    }
    return 0;
  },
};

/** The given config, else the default one when it exists, else none (the built-in receiver). */
async function optionalConfig(io: Io, given: unknown): Promise<Config | null> {
  let path: string;
  try {
    path = configPath(io, given);
  } catch {
    return null;
  }
  return (await readConfig(io, path)).config;
}

function digestTargets(config: Config | null, only: unknown): DigestTarget[] {
  if (!config) {
    if (typeof only === 'string' && only !== BUILT_IN.receiver.name)
      throw new CliError(`digest preview: no config, so no receiver "${only}"`);
    return [{ name: BUILT_IN.receiver.name, channel: 'email', schedule: BUILT_IN.receiver.schedule }];
  }
  const digests = config.receivers.filter(isDigestReceiver);
  const chosen = typeof only === 'string' ? digests.filter((r) => r.name === only) : digests;
  if (!chosen.length) {
    const names = digests.map((r) => r.name).join(', ') || 'none';
    throw new CliError(
      typeof only === 'string'
        ? `digest preview: "${only}" is not a digest receiver (digest receivers: ${names})`
        : 'digest preview: the config has no receiver with mode: digest',
      1,
    );
  }
  return chosen.map((r) => ({ name: r.name, channel: r.type, schedule: r.digest ?? DigestScheduleSchema.parse({}) }));
}

async function readEvents(io: Io, files: string[]): Promise<SpendEvent[]> {
  const events: SpendEvent[] = [];
  for (const file of files) events.push(...readInput(await readInputFile(io, file)).events);
  return dedupe(events);
}

async function sampleEvents(): Promise<SpendEvent[]> {
  const events: SpendEvent[] = [];
  for (const folder of SAMPLE_FOLDERS) {
    const names = (await readdir(join(FIXTURES, folder)))
      .filter((f) => /\.(json|txt)$/.test(f) && !f.endsWith('.expected.json'))
      .sort();
    for (const name of names) events.push(...readInput(await readFile(join(FIXTURES, folder, name), 'utf8')).events);
  }
  return dedupe(events);
}

function dedupe(events: SpendEvent[]): SpendEvent[] {
  return [...new Map(events.map((e) => [e.id, e])).values()];
}

/** Spreads the sample alerts evenly over the period, in their original order. */
function redate(events: SpendEvent[], period: DigestPeriod): SpendEvent[] {
  const start = Date.parse(period.start);
  const span = Date.parse(period.end) - start;
  const sorted = [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  return sorted.map((e, i) => ({
    ...e,
    occurredAt: new Date(start + Math.floor(((i + 0.5) / sorted.length) * span)).toISOString(),
  }));
}

/**
 * A budget notification as of the period's last day whose month to date runs at SAMPLE_PACE of
 * the first monthly budget: `sampleEnrichment` turns it into coherent costs for that month.
 */
function sampleCostEvent(period: DigestPeriod, budgets: BudgetSpec[]): SpendEvent {
  const budget = budgets.find((b) => b.period === 'monthly' && !b.account) ?? BUILT_IN.budgets[0]!;
  const [y, m, d] = period.lastDay.split('-').map(Number);
  const daysInMonth = new Date(Date.UTC(y!, m!, 0)).getUTCDate();
  const spend = ((budget.limit * SAMPLE_PACE) / daysInMonth) * d!;
  const date = new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
  }).format(new Date(`${period.lastDay}T00:00:00Z`));
  const text = `AWS Budget Notification ${date}
AWS Account 111111111111

Budget Name: ${budget.name}
Budget Type: Cost
Budgeted Amount: $${budget.limit.toFixed(2)}
Alert Type: ACTUAL
Alert Threshold: > $${(budget.limit * 0.8).toFixed(2)}
ACTUAL Amount: $${spend.toFixed(2)}
`;
  const event = readInput(text).events[0];
  if (!event) throw new Error('sample cost event did not normalize');
  return event;
}
