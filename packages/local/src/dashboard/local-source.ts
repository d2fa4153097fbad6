import { EventEmitter } from 'node:events';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { readInput, takesDigests, type Config, type SpendEvent } from '@spend-alerts/core';
import { CHANNELS, type Channel } from '@spend-alerts/stacks/spec';
import type { simClock } from '../runtime/clock.ts';
import type { LocalStack } from '../runtime/stack.ts';
import type { SpendModel } from '../sim/spend-model.ts';
import { listDeadLetters, redrive } from '../runtime/dlq.ts';
import type { Bill } from '../meter/bill.ts';
import { runBill } from '../meter/run-bill.ts';
import type {
  DashboardDeadLetter,
  DashboardDigest,
  DashboardEmail,
  DashboardSlackMessage,
  DashboardSource,
  DashboardSpend,
  DashboardState,
  DashboardUpdate,
  DashboardTeamsPost,
  DashboardWebhook,
} from './source.ts';
import type { SlackMessage } from '../standins/slack-api.ts';
import type { TeamsPost } from '../standins/teams-workflow.ts';
import type { WebhookRequest } from '../standins/webhook-receiver.ts';

const DAY = 86_400_000;

interface SesEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

/** What the dashboard reads of the running local pipeline. */
export interface DashboardPipeline {
  config: Config;
  model: SpendModel;
  stack: LocalStack;
  clock: ReturnType<typeof simClock>;
}

/**
 * The local pipeline as the dashboard sees it: events published to the topic, what each stand-in
 * received, the DLQs and the ledger, polled where a stand-in has no push (SES, SQS, DynamoDB) and
 * streamed where it has (Slack, webhooks).
 */
export class LocalDashboardSource implements DashboardSource {
  private readonly emitter = new EventEmitter();
  private readonly events: Array<{ event: SpendEvent; publishedAt: string }> = [];
  private knownEmails = new Set<string>();
  private lastDlq = '';
  private lastDeliveries = '';
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private digestCount = 0;

  constructor(private readonly pipeline: DashboardPipeline) {
    this.emitter.setMaxListeners(100);
    pipeline.stack.slack.onMessage((m) => this.emit({ type: 'slack', data: slackMessage(m) }));
    pipeline.stack.webhook.onRequest((r) => this.emit({ type: 'webhook', data: webhook(r) }));
    pipeline.stack.teams.onPost((p) => this.emit({ type: 'teams', data: teamsPost(p) }));
  }

  /** Records a message published to the topic and tells the page. */
  published(message: string, at: Date): void {
    for (const event of readInput(message).events) {
      if (this.events.some((e) => e.event.id === event.id)) continue;
      const entry = { event, publishedAt: at.toISOString() };
      this.events.push(entry);
      this.emit({ type: 'event', data: { event: stripRaw(event), enrichment: null, publishedAt: entry.publishedAt } });
    }
  }

  /** Starts polling what has no push: the SES outbox, the DLQs, the ledger, the clock. */
  start(intervalMs = 500): void {
    const tick = async () => {
      try {
        for (const email of await this.emails()) {
          if (this.knownEmails.has(email.id)) continue;
          this.knownEmails.add(email.id);
          this.emit({ type: 'email', data: email });
        }
        const dlq = await this.deadLetters();
        const dlqKey = JSON.stringify(dlq.map((d) => d.messageId));
        if (dlqKey !== this.lastDlq) {
          this.lastDlq = dlqKey;
          this.emit({ type: 'dlq', data: dlq });
        }
        const deliveries = await this.deliveries();
        const key = JSON.stringify(deliveries);
        if (key !== this.lastDeliveries) {
          this.lastDeliveries = key;
          this.emit({ type: 'deliveries', data: deliveries });
          this.emit({ type: 'spend', data: this.spend() });
        }
        const digests = await this.digests();
        if (digests.length !== this.digestCount) {
          for (const d of digests.slice(0, digests.length - this.digestCount).reverse())
            this.emit({ type: 'digest', data: d });
          this.digestCount = digests.length;
        }
        this.emit({ type: 'clock', data: this.clock() });
      } catch {
        // The stand-ins are going away (shutdown): the next tick, if any, tries again.
      }
      // A tick in flight when stop() is called must not schedule another: the process could never exit.
      if (!this.stopped) this.timer = setTimeout(() => void tick(), intervalMs);
    };
    this.stopped = false;
    this.timer = setTimeout(() => void tick(), intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  async bill(): Promise<Bill> {
    return runBill(this.pipeline.stack, this.pipeline.config);
  }

  async snapshot(): Promise<DashboardState> {
    const { stack } = this.pipeline;
    const emails = await this.emails();
    for (const e of emails) this.knownEmails.add(e.id);
    return {
      clock: this.clock(),
      events: this.events.map((e) => ({ event: stripRaw(e.event), enrichment: null, publishedAt: e.publishedAt })),
      slack: stack.slack.messages.map(slackMessage),
      emails,
      webhooks: stack.webhook.requests.map(webhook),
      teams: stack.teams.posts.map(teamsPost),
      dlq: await this.deadLetters(),
      digests: await this.digests(),
      deliveries: await this.deliveries(),
      spend: this.spend(),
    };
  }

  subscribe(listener: (update: DashboardUpdate) => void): () => void {
    this.emitter.on('update', listener);
    return () => this.emitter.off('update', listener);
  }

  async redrive(channel: Channel, messageId?: string): Promise<{ redriven: number }> {
    const { stack } = this.pipeline;
    if (!CHANNELS.includes(channel)) throw new Error(`unknown channel ${channel}`);
    const redriven = await redrive(stack.sqs, stack.queues[channel].dlqUrl, stack.queues[channel].url, messageId);
    this.emit({ type: 'dlq', data: await this.deadLetters() });
    return { redriven };
  }

  async file(path: string): Promise<{ contentType: string; bytes: Buffer } | null> {
    const id = path.replace(/^\/files\//, '');
    const file = this.pipeline.stack.slack.files.find((f) => f.id === id);
    return file ? { contentType: file.mimetype || 'application/octet-stream', bytes: file.bytes } : null;
  }

  private emit(update: DashboardUpdate): void {
    this.emitter.emit('update', update);
  }

  private clock(): DashboardState['clock'] {
    return {
      now: this.pipeline.clock.now().toISOString(),
      speed: Math.round(this.pipeline.clock.spec.speed),
      running: true,
    };
  }

  private async emails(): Promise<DashboardEmail[]> {
    const response = await fetch(`${this.pipeline.stack.sesUrl}/store`);
    const { emails } = (await response.json()) as { emails: SesEmail[] };
    return emails.map((e) => ({
      id: e.messageId,
      to: e.destination.to,
      subject: e.subject,
      html: e.body.html,
      text: e.body.text,
      at: new Date(e.at * 1000).toISOString(),
    }));
  }

  private async deadLetters(): Promise<DashboardDeadLetter[]> {
    const { stack } = this.pipeline;
    const all: DashboardDeadLetter[] = [];
    for (const channel of CHANNELS) {
      for (const d of await listDeadLetters(stack.sqs, stack.queues[channel].dlqUrl)) {
        all.push({
          channel,
          messageId: d.messageId,
          reason: d.reason,
          failure: d.failure,
          receiver: d.receiver,
          excerpt: d.body.slice(0, 160),
        });
      }
    }
    return all;
  }

  /** Digests the ledger records as sent, newest first, with the chart uploaded to Slack where there is one. */
  private async digests(): Promise<DashboardDigest[]> {
    const { stack, config } = this.pipeline;
    const out: DashboardDigest[] = [];
    let start: Record<string, never> | undefined;
    do {
      const page = await stack.dynamo.send(
        new ScanCommand({
          TableName: stack.tableName,
          FilterExpression: 'begins_with(pk, :p) AND #s = :sent',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':p': { S: 'DIGESTSENT#' }, ':sent': { S: 'sent' } },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const receiver = (item.pk?.S ?? '').slice('DIGESTSENT#'.length);
        const found = config.receivers.find((r) => r.name === receiver);
        if (!found || !takesDigests(found)) continue;
        const at = new Date(Number(item.at?.N ?? 0)).toISOString();
        out.push({ receiver, channel: found.type, periodKey: item.sk?.S ?? '', at });
      }
      start = page.LastEvaluatedKey as typeof start;
    } while (start);
    // Each Slack digest uploads its chart right after posting: in time order, the n-th Slack digest's
    // chart is the n-th chart uploaded.
    const charts = stack.slack.files.filter((f) => f.filename.startsWith('spend-chart-'));
    out.sort((a, b) => a.at.localeCompare(b.at));
    let n = 0;
    const withCharts = out.map((d) => {
      if (d.channel !== 'slack') return d;
      const chart = charts[n++];
      return chart ? { ...d, chartUrl: `/files/${chart.id}` } : d;
    });
    return withCharts.reverse();
  }

  private async deliveries(): Promise<Record<Channel, number>> {
    const { stack } = this.pipeline;
    const counts = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
    let start: Record<string, never> | undefined;
    do {
      const page = await stack.dynamo.send(
        new ScanCommand({
          TableName: stack.tableName,
          FilterExpression: 'begins_with(pk, :p) AND #s = :d',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':p': { S: 'DELIVERY#' }, ':d': { S: 'delivered' } },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const channel = (item.sk?.S ?? '').split('#')[1]?.split(':')[0] as Channel;
        if (channel in counts) counts[channel]++;
      }
      start = page.LastEvaluatedKey as typeof start;
    } while (start);
    return counts;
  }

  /** The simulated account's spend so far this month, against the config's budgets. */
  private spend(): DashboardSpend {
    const { model, clock, config } = this.pipeline;
    const today = clock.now().toISOString().slice(0, 10);
    const days: string[] = [];
    for (
      let t = Date.parse(`${model.monthStart}T00:00:00Z`);
      new Date(t).toISOString().slice(0, 10) < today && new Date(t).toISOString().slice(0, 7) === model.month;
      t += DAY
    )
      days.push(new Date(t).toISOString().slice(0, 10));
    const daily = days.map(
      (d) => model.costBetween(d, new Date(Date.parse(`${d}T00:00:00Z`) + DAY).toISOString().slice(0, 10)) / 100,
    );
    let sum = 0;
    const cumulative = daily.map((v) => {
      sum += v;
      return Math.round(sum * 100) / 100;
    });
    const inMonth = today.slice(0, 7) === model.month;
    return {
      days,
      daily,
      cumulative,
      budgets: config.budgets
        .filter((b) => !b.account && b.period === 'monthly')
        .map((b) => ({ name: b.name, limit: b.limit })),
      forecast: inMonth ? model.forecastMonthEnd(today) / 100 : null,
    };
  }
}

function stripRaw(event: SpendEvent) {
  const { raw: _raw, ...rest } = event;
  return rest;
}

function slackMessage(m: SlackMessage): DashboardSlackMessage {
  return {
    ts: m.ts,
    thread_ts: m.thread_ts,
    channelName: m.channelName,
    text: m.text,
    blocks: m.blocks,
    attachments: m.attachments,
    files: m.files?.map((id) => ({ name: id, url: `/files/${id}` })),
    receivedAt: m.receivedAt.toISOString(),
  };
}

function webhook(r: WebhookRequest): DashboardWebhook {
  return {
    webhookId: r.webhookId,
    receivedAt: r.receivedAt.toISOString(),
    verified: r.verified,
    verifyError: r.verifyError,
    status: r.status,
    json: r.json,
  };
}

function teamsPost(p: TeamsPost): DashboardTeamsPost {
  const info = p.message?.spendAlerts;
  const card = p.message?.attachments[0]?.content as { body?: unknown[]; actions?: unknown[] } | undefined;
  return {
    receivedAt: p.receivedAt.toISOString(),
    workflow: p.workflow,
    status: p.status,
    kind: info?.kind ?? null,
    receiver: info?.receiver ?? null,
    eventIds: info?.eventIds ?? [],
    body: card?.body ?? [],
    actions: card?.actions ?? [],
  };
}
