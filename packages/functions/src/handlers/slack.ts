import { createChannelHandler } from '../pipeline/handler.ts';
import { buildChannelDeps } from '../runtime/channel-deps.ts';
import { slackNotifier } from '../runtime/notifiers/slack.ts';

/** The slack consumer: SQS records from the slack queue, delivered to the config's slack receivers. */
export const handler = createChannelHandler(() => buildChannelDeps('slack', slackNotifier));
