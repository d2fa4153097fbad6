import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { isSilenceActive, newSilence, parseDuration } from '@spend-alerts/core';
import type { Command } from '../command.ts';
import { CliError } from '../io.ts';
import { silenceStore } from '../silences.ts';

export const silenceCommand: Command = {
  name: 'silence',
  summary: 'Add, list or expire silences: alerts matching them are not sent until they end.',
  usage:
    'spend-alerts silence add MATCHER... --comment TEXT [--duration 2h | --until ISO] [--author NAME]\n       spend-alerts silence list [--all]\n       spend-alerts silence expire ID',
  details: `A matcher is 'label op value' with op =, !=, =~ or !~ (quote it for the shell):
  spend-alerts silence add 'accountName = sandbox' 'kind =~ "budget|anomaly"' --duration 3d --comment "load test"

options:
  --duration D   how long from now (30m, 4h, 2d); default 2h
  --until ISO    when it ends, instead of --duration
  --author NAME  who set it (default: your user name)
  --comment TEXT why (required for add)
  --all          list expired silences too
  --table NAME   the deployed pipeline's ledger table (the ledgerTable output of sst deploy);
                 without it, the local pipeline running from this directory (npm start)
  --region R     the table's region (default: AWS_REGION)`,
  options: {
    duration: { type: 'string' },
    until: { type: 'string' },
    author: { type: 'string' },
    comment: { type: 'string' },
    all: { type: 'boolean' },
    table: { type: 'string' },
    region: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [action, ...rest] = positionals;
    const store = silenceStore(io, values.table, values.region);
    const now = new Date();
    switch (action) {
      case 'add': {
        if (typeof values.comment !== 'string' || !values.comment.trim())
          throw new CliError('add: --comment is required: say why');
        let endsAt: Date;
        if (typeof values.until === 'string') {
          endsAt = new Date(values.until);
          if (Number.isNaN(endsAt.getTime()))
            throw new CliError(`add: --until "${values.until}" is not a date such as 2024-06-01T08:00:00Z`);
        } else {
          const ms = parseDuration(typeof values.duration === 'string' ? values.duration : '2h');
          if (!ms) throw new CliError(`add: --duration "${values.duration}" is not a duration such as 30m, 4h or 2d`);
          endsAt = new Date(now.getTime() + ms);
        }
        let silence: ReturnType<typeof newSilence>;
        try {
          silence = newSilence(
            {
              matchers: rest,
              startsAt: now,
              endsAt,
              createdBy: typeof values.author === 'string' ? values.author : userInfo().username,
              comment: values.comment,
            },
            randomUUID(),
          );
        } catch (error) {
          throw new CliError(`add: ${(error as Error).message}`);
        }
        await store.putSilence(silence);
        io.stdout(`${silence.id}\n`);
        io.stderr(`silenced until ${silence.endsAt}: ${silence.matchers.join(', ')}\n`);
        return 0;
      }
      case 'list': {
        const silences = (await store.listSilences()).filter((s) => values.all || Date.parse(s.endsAt) > now.getTime());
        if (!silences.length) io.stderr('no silences\n');
        for (const s of silences) {
          const state = isSilenceActive(s, now)
            ? 'active'
            : Date.parse(s.endsAt) <= now.getTime()
              ? 'expired'
              : 'pending';
          io.stdout(
            `${s.id}  ${state.padEnd(7)}  until ${s.endsAt}  ${s.matchers.join(', ')}  (${s.createdBy}: ${s.comment})\n`,
          );
        }
        return 0;
      }
      case 'expire': {
        const id = rest[0];
        if (!id) throw new CliError('expire: give the id of the silence (see silence list)');
        const silence = (await store.listSilences()).find((s) => s.id === id || s.id.startsWith(id));
        if (!silence) throw new CliError(`expire: no silence ${id}`, 1);
        await store.putSilence({
          ...silence,
          endsAt: new Date(Math.max(now.getTime(), Date.parse(silence.startsAt) + 1)).toISOString(),
        });
        io.stderr(`expired ${silence.id}\n`);
        return 0;
      }
      default:
        throw new CliError(`unknown action ${action ? `"${action}"` : '(none)'}; use add, list or expire`);
    }
  },
};
