import {
  directoryOf,
  eventLabels,
  groupKey,
  readInput,
  ReceiverSchema,
  routeEvent,
  type Config,
  type EnrichedEvent,
  type Notification,
  type Receiver,
  type RenderContext,
  type SpendEvent,
  renderEmail,
  renderSlackMessage,
  renderWebhookPayload,
  renderTeamsMessage,
  sampleEnrichment,
  channelOf,
  RECEIVER_TYPES,
  isDigestReceiver,
} from '@spend-alerts/core';
import type { Command } from '../command.ts';
import { readConfig } from '../config.ts';
import { CliError, readInputFile, type Io } from '../io.ts';

const CHANNELS = RECEIVER_TYPES;
const USAGE =
  'spend-alerts preview FILE|- --channel slack|email|webhook|teams [--config FILE] [--enrichment sample|none] [--group]';
type Channel = (typeof CHANNELS)[number];

/** The receiver used without --config: each channel's defaults, read through its own schema. */
const BUILT_IN: Record<Channel, unknown> = {
  slack: { type: 'slack', name: 'preview', channel: '#preview' },
  email: { type: 'email', name: 'preview', to: ['alerts@example.com'] },
  webhook: {
    type: 'webhook',
    name: 'preview',
    url: 'https://webhook.example.com/spend-alerts',
    signingSecret: 'PreviewSigningSecret',
  },
  teams: { type: 'teams', name: 'preview', urlSecret: 'PreviewTeamsWorkflowUrl' },
};

/** One notification to print: what a receiver would be sent. */
interface Delivery {
  receiver: Receiver;
  route: string;
  groupKey: string;
  events: SpendEvent[];
}

export const previewCommand: Command = {
  name: 'preview',
  summary: 'Print exactly what an alert would send to Slack, email or a webhook.',
  usage: USAGE,
  details: `Reads messages as 'normalize' does and renders each as the channel would send it:
the chat.postMessage body for Slack, the subject, text and HTML parts for email, the JSON
payload for a webhook. Nothing is sent.

options:
  --channel C        slack, email, webhook or teams
  --config FILE      render for the receivers of that channel the configured routes reach,
                     with account names from the config (default: a built-in receiver)
  --enrichment M     sample: add deterministic sample cost data (no Cost Explorer call);
                     none (default): render as when enrichment is off or failed
  --group            render all events of the file as one grouped notification per receiver`,
  options: {
    channel: { type: 'string' },
    config: { type: 'string' },
    enrichment: { type: 'string' },
    group: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const channel = values.channel;
    if (typeof channel !== 'string' || !(CHANNELS as readonly string[]).includes(channel)) {
      throw new CliError(`preview: give --channel ${CHANNELS.join('|')}\nusage: ${USAGE}`);
    }
    const enrichment = values.enrichment ?? 'none';
    if (enrichment !== 'sample' && enrichment !== 'none')
      throw new CliError(`preview: --enrichment is sample or none, not "${String(enrichment)}"`);
    if (positionals.length > 1) throw new CliError(`preview: one FILE at a time\nusage: ${USAGE}`);

    const file = positionals[0] ?? '-';
    const { events, controls } = readInput(await readInputFile(io, file));
    for (const c of controls) io.stderr(`${file}: SNS ${c.control} (not an alert)\n`);
    if (!events.length) {
      io.stderr(`${file}: no spend events to preview\n`);
      return 1;
    }

    const loaded = typeof values.config === 'string' ? await readConfig(io, values.config) : null;
    let deliveries = loaded ? routed(events, loaded.config, channel as Channel) : builtIn(events, channel as Channel);
    if (!deliveries.length) {
      io.stderr(
        `${loaded!.path}: no ${channel} receiver is reached by ${events.length === 1 ? 'this event' : 'these events'} (see: spend-alerts route ${file} --config ${loaded!.path})\n`,
      );
      return 1;
    }
    if (values.group) deliveries = grouped(deliveries);

    const ctx: RenderContext = { accounts: loaded ? directoryOf(loaded.config) : undefined, now: new Date() };
    const enrich = (event: SpendEvent): EnrichedEvent => ({
      event,
      enrichment: enrichment === 'sample' ? sampleEnrichment(event) : null,
    });
    for (const d of deliveries) {
      const n: Notification = {
        events: d.events.map(enrich),
        receiver: d.receiver,
        route: d.route,
        groupKey: d.groupKey,
      };
      print(io, n, ctx, loaded?.config ?? null);
    }
    return 0;
  },
};

/** One delivery per event and receiver of the channel that the config's routes reach. */
function routed(events: SpendEvent[], config: Config, channel: Channel): Delivery[] {
  const accounts = directoryOf(config);
  return events.flatMap((event) =>
    routeEvent(event, config, accounts)
      .matches.filter((m) => m.receiver.type === channel)
      .map((m) => ({
        receiver: m.receiver,
        route: m.route,
        groupKey: groupKey(m.settings.groupBy, eventLabels(event, accounts)),
        events: [event],
      })),
  );
}

function builtIn(events: SpendEvent[], channel: Channel): Delivery[] {
  const receiver = ReceiverSchema.parse(BUILT_IN[channel]);
  return events.map((event) => ({ receiver, route: 'preview', groupKey: '{}', events: [event] }));
}

/** Joins the deliveries to the same receiver: what noise control sends when a burst lands in one group. */
function grouped(deliveries: Delivery[]): Delivery[] {
  const byReceiver = new Map<string, Delivery>();
  for (const d of deliveries) {
    const seen = byReceiver.get(d.receiver.name);
    if (seen) seen.events.push(...d.events);
    else byReceiver.set(d.receiver.name, { ...d, events: [...d.events] });
  }
  return [...byReceiver.values()];
}

function print(io: Io, n: Notification, ctx: RenderContext, config: Config | null): void {
  const r = n.receiver;
  const count = `${n.events.length} event${n.events.length === 1 ? '' : 's'}`;
  const where = channelOf(r).describe(r);
  // Where it goes is said on stderr, so stdout stays exactly the body (pipe it to jq).
  io.stderr(`preview: ${r.type} receiver ${r.name}${where ? ` (${where})` : ''}, route ${n.route}, ${count}\n`);
  if (isDigestReceiver(r))
    io.stderr(
      `preview: ${r.name} is a digest receiver; this is the immediate message, the digest is rendered separately\n`,
    );
  switch (r.type) {
    case 'slack': {
      const message = renderSlackMessage({ ...n, receiver: r }, ctx);
      io.stdout(`${JSON.stringify({ channel: r.channel, ...message }, null, 2)}\n`);
      break;
    }
    case 'email': {
      const email = renderEmail({ ...n, receiver: r }, ctx);
      const headers = [
        config?.email ? `From: ${config.email.from}` : null,
        `To: ${r.to.join(', ')}`,
        r.cc.length ? `Cc: ${r.cc.join(', ')}` : null,
        `Subject: ${email.subject}`,
      ];
      io.stdout(
        `${headers.filter(Boolean).join('\n')}\n\n----- text/plain -----\n${email.text}\n----- text/html -----\n${email.html}`,
      );
      break;
    }
    case 'webhook':
      for (const payload of renderWebhookPayload({ ...n, receiver: r }, ctx))
        io.stdout(`${JSON.stringify(payload, null, 2)}\n`);
      break;
    case 'teams':
      // The body posted to the workflow; its URL is a secret and is never shown.
      io.stdout(`${JSON.stringify(renderTeamsMessage({ ...n, receiver: r }, ctx), null, 2)}\n`);
      break;
  }
}
