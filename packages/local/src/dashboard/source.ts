import type { DigestCapableReceiver, Enrichment, SpendEvent } from '@spend-alerts/core';
import type { Channel } from '@spend-alerts/stacks/spec';
import type { Bill } from '../meter/bill.ts';

/** What the dashboard shows: a snapshot of the local pipeline, as the user would see each channel. */
export interface DashboardState {
  clock: { now: string; speed: number; running: boolean };
  /** Events as they arrived at the topic, newest last, with the enrichment the consumers found. */
  events: DashboardEvent[];
  slack: DashboardSlackMessage[];
  emails: DashboardEmail[];
  webhooks: DashboardWebhook[];
  /** Cards the Teams Workflows stand-in accepted or refused. */
  teams: DashboardTeamsPost[];
  dlq: DashboardDeadLetter[];
  digests: DashboardDigest[];
  /** Distinct (event, destination) deliveries in the ledger, per channel. */
  deliveries: Record<Channel, number>;
  spend: DashboardSpend;
}

export interface DashboardEvent {
  event: Omit<SpendEvent, 'raw'> & { raw?: string };
  enrichment: Enrichment | null;
  publishedAt: string;
}

export interface DashboardSlackMessage {
  ts: string;
  thread_ts?: string;
  channelName: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** Uploaded files shared with the message (digest charts), as URLs the dashboard serves. */
  files?: Array<{ name: string; url: string }>;
  receivedAt: string;
}

export interface DashboardEmail {
  id: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  /** Inline images (digest charts), as URLs the dashboard serves. */
  images?: Array<{ cid: string; url: string }>;
  at: string;
}

export interface DashboardWebhook {
  webhookId?: string;
  receivedAt: string;
  verified: boolean;
  verifyError?: string;
  status: number;
  json: unknown;
}

export interface DashboardTeamsPost {
  receivedAt: string;
  /** The flow posted to (named after the receiver's URL secret; never the URL itself). */
  workflow: string;
  status: number;
  kind: string | null;
  receiver: string | null;
  eventIds: string[];
  /** The Adaptive Card's body and actions, as posted. */
  body: unknown[];
  actions: unknown[];
}

export interface DashboardDeadLetter {
  channel: Channel;
  /** The SQS message id on the DLQ, what redrive takes. */
  messageId: string;
  reason: string;
  failure: string;
  receiver: string;
  /** The start of the message body, for recognising it. */
  excerpt: string;
}

export interface DashboardDigest {
  receiver: string;
  channel: DigestCapableReceiver['type'];
  periodKey: string;
  at: string;
  chartUrl?: string;
}

export interface DashboardSpend {
  /** Days of the simulated month so far, YYYY-MM-DD. */
  days: string[];
  /** Cost per day, USD. */
  daily: number[];
  /** Month-to-date, USD, per day. */
  cumulative: number[];
  budgets: Array<{ name: string; limit: number }>;
  forecast: number | null;
}

export type DashboardUpdate =
  | { type: 'event'; data: DashboardEvent }
  | { type: 'slack'; data: DashboardSlackMessage }
  | { type: 'email'; data: DashboardEmail }
  | { type: 'webhook'; data: DashboardWebhook }
  | { type: 'teams'; data: DashboardTeamsPost }
  | { type: 'dlq'; data: DashboardDeadLetter[] }
  | { type: 'digest'; data: DashboardDigest }
  | { type: 'deliveries'; data: Record<Channel, number> }
  | { type: 'spend'; data: DashboardSpend }
  | { type: 'clock'; data: DashboardState['clock'] };

/** The local pipeline as the dashboard server sees it. */
export interface DashboardSource {
  snapshot(): Promise<DashboardState>;
  /** Live updates; returns the unsubscribe function. */
  subscribe(listener: (update: DashboardUpdate) => void): () => void;
  /** Moves dead-lettered records back to their channel's queue (one, or all of a channel). */
  redrive(channel: Channel, messageId?: string): Promise<{ redriven: number }>;
  /** What the run's AWS usage costs so far, item by item (the summary's `bill`). */
  bill(): Promise<Bill>;
  /** Bytes of a file or image the state refers to by URL path (e.g. `/files/F123`), or null. */
  file?(path: string): Promise<{ contentType: string; bytes: Buffer } | null>;
}
