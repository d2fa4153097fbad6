import { createChannelHandler } from '../pipeline/handler.ts';
import { awsChannelDeps } from '../runtime/aws.ts';

/** The slack consumer: SQS records from the slack queue, delivered to the config's slack receivers. */
export const handler = createChannelHandler(() => awsChannelDeps('slack'));
