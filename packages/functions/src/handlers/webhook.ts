import { createChannelHandler } from '../pipeline/handler.ts';
import { awsChannelDeps } from '../runtime/aws.ts';

/** The webhook consumer: SQS records from the webhook queue, delivered to the config's webhook receivers. */
export const handler = createChannelHandler(() => awsChannelDeps('webhook'));
