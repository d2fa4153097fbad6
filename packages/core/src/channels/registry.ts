import { createHash } from 'node:crypto';
import * as z from 'zod';
import { EmailReceiverSchema, type EmailReceiver } from './email/config.ts';
import { SlackReceiverSchema, type SlackReceiver } from './slack/config.ts';
import { TeamsReceiverSchema, type TeamsReceiver } from './teams/config.ts';
import { WebhookReceiverSchema, type WebhookReceiver } from './webhook/config.ts';

/**
 * What the rest of the code needs to know of a channel, in one place: the pipeline, the CLI and the
 * local runtime look a receiver's channel up here instead of asking which one it is.
 */
export interface ChannelDefinition<R extends { type: string; name: string }> {
  type: R['type'];
  /** Whether its receivers may take `mode: digest`. */
  digests: boolean;
  /** Where a receiver delivers, named without secrets (the ledger's destination, logs, the dashboard). */
  destination(receiver: R): string;
  /** A short, secret-free description for previews and route listings (`#finops`), or null. */
  describe(receiver: R): string | null;
  /** The names of the secrets delivering to a receiver reads: its own, and its channel's (Slack's token). */
  secrets(receiver: R, shared: { slack: { tokenSecret: string } }): string[];
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

const slack: ChannelDefinition<SlackReceiver> = {
  type: 'slack',
  digests: true,
  destination: (r) => `slack:${r.channel}`,
  describe: (r) => r.channel,
  secrets: (_r, shared) => [shared.slack.tokenSecret],
};

const email: ChannelDefinition<EmailReceiver> = {
  type: 'email',
  digests: true,
  destination: (r) => `email:${[...r.to].sort().join(',')}`,
  describe: (r) => r.to.join(', '),
  secrets: () => [],
};

const webhook: ChannelDefinition<WebhookReceiver> = {
  type: 'webhook',
  digests: false,
  // A URL may carry a token: the destination is its hash, or the name of the secret holding it.
  destination: (r) => (r.url ? `webhook:${shortHash(r.url)}` : `webhook:secret:${r.urlSecret}`),
  describe: () => null,
  secrets: (r) => [r.signingSecret, ...(r.urlSecret ? [r.urlSecret] : []), ...Object.values(r.headerSecrets ?? {})],
};

const teams: ChannelDefinition<TeamsReceiver> = {
  type: 'teams',
  digests: true,
  destination: (r) => `teams:secret:${r.urlSecret}`,
  describe: () => null,
  secrets: (r) => [r.urlSecret],
};

/** Every channel's receiver schema, for the config's `receivers`. */
export const ReceiverSchema = z.discriminatedUnion('type', [
  SlackReceiverSchema,
  EmailReceiverSchema,
  WebhookReceiverSchema,
  TeamsReceiverSchema,
]);
export type Receiver = z.infer<typeof ReceiverSchema>;
export type ReceiverType = Receiver['type'];

const DEFINITIONS: { [T in ReceiverType]: ChannelDefinition<Extract<Receiver, { type: T }>> } = {
  slack,
  email,
  webhook,
  teams,
};

/** The channels, in the order they are listed everywhere. */
export const RECEIVER_TYPES = Object.keys(DEFINITIONS) as ReceiverType[];

/** The channels whose receivers may take digests. */
export const DIGEST_RECEIVER_TYPES = RECEIVER_TYPES.filter((type) => DEFINITIONS[type].digests) as Array<
  DigestCapableReceiver['type']
>;

/** The definition of a receiver's channel. */
export function channelOf<R extends Receiver>(receiver: R): ChannelDefinition<R> {
  return DEFINITIONS[receiver.type as ReceiverType] as unknown as ChannelDefinition<R>;
}

/** A receiver whose channel takes digests. */
export type DigestCapableReceiver = Extract<Receiver, { mode: 'immediate' | 'digest' }>;

/** Whether the receiver's channel takes digests at all. */
export function takesDigests(receiver: Receiver): receiver is DigestCapableReceiver {
  return channelOf(receiver).digests;
}

/** Whether the receiver gets digests instead of immediate alerts. */
export function isDigestReceiver(receiver: Receiver): receiver is DigestCapableReceiver {
  return takesDigests(receiver) && receiver.mode === 'digest';
}
