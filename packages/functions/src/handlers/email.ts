import { createChannelHandler } from '../pipeline/handler.ts';
import { buildChannelDeps } from '../runtime/channel-deps.ts';
import { emailNotifier } from '../runtime/notifiers/email.ts';

/** The email consumer: SQS records from the email queue, delivered to the config's email receivers. */
export const handler = createChannelHandler(() => buildChannelDeps('email', emailNotifier));
