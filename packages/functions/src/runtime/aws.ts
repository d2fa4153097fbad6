import type { Channel } from '@spend-alerts/stacks/spec';
import type { ChannelDeps } from '../pipeline/deps.ts';
import { buildChannelDeps, type ChannelDepsOptions, type NotifierFactory } from './channel-deps.ts';
import { emailNotifier } from './notifiers/email.ts';
import { slackNotifier } from './notifiers/slack.ts';
import { teamsNotifier } from './notifiers/teams.ts';
import { webhookNotifier } from './notifiers/webhook.ts';
import { linkedResource } from './resources.ts';

export {
  buildChannelDeps,
  type ChannelDepsOptions,
  type NotifierFactory,
  type NotifierInputs,
} from './channel-deps.ts';

/** A linked resource (see `linkedResource`). */
export const linked = linkedResource;

/** Every channel's notifier. The handlers import only their own (see `handlers/`); this is for the local runtime and tests. */
export const NOTIFIERS: Record<Channel, NotifierFactory> = {
  slack: slackNotifier,
  email: emailNotifier,
  webhook: webhookNotifier,
  teams: teamsNotifier,
};

/** Builds any channel consumer's dependencies (see `buildChannelDeps`). */
export function awsChannelDeps(channel: Channel, options: ChannelDepsOptions = {}): Promise<ChannelDeps> {
  return buildChannelDeps(channel, NOTIFIERS[channel], options);
}
