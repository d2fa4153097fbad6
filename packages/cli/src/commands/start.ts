import { resolve } from 'node:path';
import { startLocalPipeline, type LocalPipeline } from '@spend-alerts/local';
import type { Command } from '../command.ts';
import { configPath } from '../config.ts';
import { CliError } from '../io.ts';

/** The channel's name, padded so that the receivers line up. */
const label = (channel: unknown) => String(channel ?? 'digest').padEnd(7);

export const startCommand: Command = {
  name: 'start',
  summary:
    'Run the whole pipeline locally: AWS stand-ins, the three consumers, a simulated month of spend, a live dashboard.',
  usage: 'spend-alerts start [--once] [--config FILE] [--month YYYY-MM] [--month-seconds N] [--port N]',
  details: `Starts SNS/SQS, DynamoDB, SES, Slack, webhook and Cost Explorer stand-ins on 127.0.0.1, the
consumers that Lambda runs in the cloud, and a simulated account whose spend crosses the config's
budgets and billing alarms during a month that runs in about a minute. Prints one line per delivery.

options:
  --once             run the simulated month to its end, print a JSON summary as the last line, exit
                     0 (or 1 when anything was lost or delivered twice)
  --config FILE      the configuration (default: spend-alerts.config.yaml)
  --month YYYY-MM    the simulated month (default: this month)
  --month-seconds N  real seconds the simulated month takes (default 60)
  --port N           the dashboard's port (default 4200; another free one if taken)`,
  options: {
    once: { type: 'boolean' },
    config: { type: 'string' },
    month: { type: 'string' },
    'month-seconds': { type: 'string' },
    port: { type: 'string' },
    'fault-drop-one': { type: 'boolean' },
    'fault-deliver-twice': { type: 'boolean' },
  },
  async run({ values }, io) {
    const seconds = values['month-seconds'] === undefined ? 60 : Number(values['month-seconds']);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new CliError(`--month-seconds must be a positive number, not "${values['month-seconds']}"`);
    if (values.month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(String(values.month)))
      throw new CliError(`--month must be YYYY-MM, not "${values.month}"`);
    const config = resolve(io.cwd, configPath(io, values.config));
    const say = (line: string) => io.stderr(`${line}\n`);
    say('spend-alerts: starting the local pipeline (stand-ins on 127.0.0.1, three consumers, a simulated month)…');
    let pipeline: LocalPipeline;
    pipeline = await startLocalPipeline({
      configPath: config,
      month: values.month as string | undefined,
      monthSeconds: seconds,
      stateDir: resolve(io.cwd, '.spend-alerts'),
      dashboardPort: values.port === undefined ? 4200 : Number(values.port),
      faults: {
        dropOneSlackMessage: Boolean(values['fault-drop-one']),
        deliverTwice: Boolean(values['fault-deliver-twice']),
      },
      onPublish: (p) =>
        say(
          `${p.crossing.day}  AWS publishes ${p.crossing.kind}${'budget' in p.crossing ? ` "${p.crossing.budget}"` : 'alarm' in p.crossing ? ` "${p.crossing.alarm}" ${p.crossing.state}` : ''}`,
        ),
      onLog: (line, channel) => {
        if (line.msg === 'record outcome' && line.outcome === 'delivered') {
          io.stdout(
            `${pipeline?.clock.now().toISOString().slice(0, 16).replace('T', ' ') ?? ''}  ${label(channel)}  ${line.receiver} ← ${line.title ?? line.eventId}${Number(line.groupSize) > 1 ? ` (+${Number(line.groupSize) - 1} grouped)` : ''}\n`,
          );
        } else if (line.msg === 'digest outcome' && line.outcome === 'sent') {
          io.stdout(
            `${pipeline?.clock.now().toISOString().slice(0, 16).replace('T', ' ') ?? ''}  ${label(line.channel)}  ${line.receiver} ← digest ${line.periodKey}\n`,
          );
        } else if (line.level === 'error' || line.level === 'warn') {
          say(`[${channel}] ${line.msg}${line.reason ? `: ${line.reason}` : ''}`);
        }
      },
    });
    if (pipeline.dashboardUrl) say(`dashboard: ${pipeline.dashboardUrl}`);
    say(`simulating ${pipeline.model.month} in about ${seconds}s; the topic is ${pipeline.stack.topicArn}`);

    if (!values.once) {
      say('press Ctrl-C to stop');
      await new Promise<void>((resolveStop) => {
        const stop = () => resolveStop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      say('stopping…');
      await pipeline.close();
      return 0;
    }

    try {
      await pipeline.simulationDone;
      await pipeline.drained();
      await pipeline.runDigestsNow?.();
      const summary = await pipeline.summary();
      await pipeline.close();
      for (const pair of summary.lostPairs) say(`lost: ${pair}`);
      const { lostPairs: _, ...line } = summary;
      io.stdout(`${JSON.stringify(line)}\n`);
      return summary.lost > 0 || summary.duplicates > 0 ? 1 : 0;
    } catch (error) {
      await pipeline.close().catch(() => undefined);
      throw error;
    }
  },
};
