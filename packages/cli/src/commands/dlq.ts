import { SQSClient } from '@aws-sdk/client-sqs';
import { unwrap } from '@spend-alerts/core';
import { listDeadLetters, redrive, type DeadLetter } from '@spend-alerts/local/runtime/dlq.ts';
import { CHANNELS, type Channel } from '@spend-alerts/stacks/spec';
import type { Command } from '../command.ts';
import { CliError, type Io } from '../io.ts';
import { awsFailure, clientConfig, readLocalPipeline } from './send.ts';

const USAGE = `spend-alerts dlq list [--channel slack|email|webhook] [--json] [--dlq-url URL]
       spend-alerts dlq redrive [--channel C] [--message-id ID] [--queue-url URL --dlq-url URL]`;

/** One queue and its DLQ, named for the table. */
interface QueueRef {
  channel: string;
  queueUrl: string | null;
  dlqUrl: string;
}

/** The queues to act on: the given URLs (a deployed pipeline), else the local pipeline's. */
function queuesFor(
  values: Record<string, unknown>,
  io: Io,
  needQueue: boolean,
): { sqs: SQSClient; queues: QueueRef[] } {
  const channel = values.channel as string | undefined;
  if (channel !== undefined && !(CHANNELS as readonly string[]).includes(channel))
    throw new CliError(`--channel must be one of ${CHANNELS.join(', ')}, not "${channel}"`);
  const dlqUrl = values['dlq-url'] as string | undefined;
  const queueUrl = values['queue-url'] as string | undefined;
  if (queueUrl !== undefined && dlqUrl === undefined) throw new CliError('--queue-url needs --dlq-url');
  if (dlqUrl !== undefined) {
    if (needQueue && queueUrl === undefined)
      throw new CliError('redrive with --dlq-url needs --queue-url: where the records go back to');
    const region = (values.region as string | undefined) ?? regionOf(dlqUrl);
    return {
      sqs: new SQSClient(clientConfig(io, 'SQS', { region })),
      queues: [{ channel: channel ?? dlqUrl.split('/').pop()!, queueUrl: queueUrl ?? null, dlqUrl }],
    };
  }
  const local = readLocalPipeline(io);
  if (!local)
    throw new CliError('no local pipeline: start it with npm start, or give --dlq-url (and --queue-url to redrive)');
  const channels = channel ? [channel as Channel] : CHANNELS;
  return {
    sqs: new SQSClient(clientConfig(io, 'SQS', { endpoint: local.endpoint })),
    queues: channels.map((c) => ({ channel: c, queueUrl: local.queues[c].url, dlqUrl: local.queues[c].dlqUrl })),
  };
}

/** `https://sqs.eu-west-1.amazonaws.com/…` and the legacy `https://eu-west-1.queue.amazonaws.com/…` name their region. */
function regionOf(url: string): string | undefined {
  return /^https:\/\/(?:sqs\.)?([a-z0-9-]+)\.(?:queue\.)?amazonaws\.com(?:\.cn)?\//.exec(url)?.[1];
}

/** The start of the alert itself (inside its SNS envelope), on one line. */
function excerpt(body: string, width = 60): string {
  const inner = unwrap(body)[0];
  const text = inner?.type === 'message' ? inner.raw : body;
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') +
    '\n'
  );
}

export const dlqCommand: Command = {
  name: 'dlq',
  summary: 'List the records the consumers gave up on, with the reason, and send them back to be tried again.',
  usage: USAGE,
  details: `Acts on the local pipeline (.spend-alerts/local.json, written by npm start) unless queue URLs are
given; a deployed pipeline's queues are reached with the standard AWS credential chain.

actions:
  list       every dead-lettered record: channel, message id, receiver, failure, reason, excerpt
  redrive    move dead-lettered records back to their queue, to be delivered afresh

options:
  --channel C       only this channel's DLQ (slack, email, webhook)
  --message-id ID   redrive only this record
  --json            list as JSON (with each record's whole body)
  --dlq-url URL     a deployed DLQ (its region is read from the URL, or give --region)
  --queue-url URL   the queue the DLQ belongs to (for redrive)
  --region R        the region of the deployed queues`,
  options: {
    channel: { type: 'string' },
    'message-id': { type: 'string' },
    json: { type: 'boolean' },
    'queue-url': { type: 'string' },
    'dlq-url': { type: 'string' },
    region: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [action, ...extra] = positionals;
    if (!action) throw new CliError(`give an action: list or redrive\nusage: ${USAGE}`);
    if (action !== 'list' && action !== 'redrive')
      throw new CliError(`unknown action "${action}" (actions: list, redrive)`);
    if (extra.length) throw new CliError(`unexpected arguments: ${extra.join(' ')}\nusage: ${USAGE}`);
    if (action === 'list' && values['message-id'] !== undefined) throw new CliError('--message-id applies to redrive');
    if (action === 'redrive' && values.json) throw new CliError('--json applies to list');
    const { sqs, queues } = queuesFor(values, io, action === 'redrive');
    try {
      return action === 'list'
        ? await list(sqs, queues, Boolean(values.json), io)
        : await redriveAll(sqs, queues, values['message-id'] as string | undefined, io);
    } finally {
      sqs.destroy();
    }
  },
};

async function list(sqs: SQSClient, queues: QueueRef[], json: boolean, io: Io): Promise<number> {
  const found: Array<DeadLetter & { channel: string }> = [];
  for (const q of queues) {
    const letters = await listDeadLetters(sqs, q.dlqUrl).catch((e: unknown) =>
      Promise.reject(awsFailure(`reading ${q.dlqUrl}`, e)),
    );
    found.push(...letters.map((l) => ({ channel: q.channel, ...l })));
  }
  if (json) {
    io.stdout(`${JSON.stringify(found, null, 2)}\n`);
  } else if (!found.length) {
    io.stdout(`no dead-lettered records (${queues.map((q) => q.channel).join(', ')})\n`);
  } else {
    const header = ['CHANNEL', 'MESSAGE ID', 'RECEIVER', 'FAILURE', 'REASON', 'EXCERPT'];
    io.stdout(
      table([
        header,
        ...found.map((l) => [
          l.channel,
          l.messageId,
          l.receiver || '-',
          l.failure,
          l.reason.replace(/\s+/g, ' '),
          excerpt(l.body),
        ]),
      ]),
    );
  }
  return 0;
}

async function redriveAll(sqs: SQSClient, queues: QueueRef[], messageId: string | undefined, io: Io): Promise<number> {
  let total = 0;
  for (const q of queues) {
    const moved = await redrive(sqs, q.dlqUrl, q.queueUrl!, messageId).catch((e: unknown) =>
      Promise.reject(awsFailure(`redriving ${q.dlqUrl}`, e)),
    );
    if (moved) io.stdout(`${q.channel}: moved ${moved} record${moved === 1 ? '' : 's'} back to ${q.queueUrl}\n`);
    total += moved;
    if (messageId && moved) break;
  }
  if (messageId && !total)
    throw new CliError(`no dead-lettered record ${messageId} (${queues.map((q) => q.channel).join(', ')})`, 1);
  if (!total) io.stdout('nothing to redrive: the DLQs are empty\n');
  return 0;
}
