import { createChannelHandler } from '../pipeline/handler.ts';
import { buildChannelDeps } from '../runtime/channel-deps.ts';
import { webhookNotifier } from '../runtime/notifiers/webhook.ts';

/** The webhook consumer: SQS records from the webhook queue, delivered to the config's webhook receivers. */
export const handler = createChannelHandler(() => buildChannelDeps('webhook', webhookNotifier));
