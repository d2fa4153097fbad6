import { createChannelHandler } from '../pipeline/handler.ts';
import { awsChannelDeps } from '../runtime/aws.ts';

/** The email consumer: SQS records from the email queue, delivered to the config's email receivers. */
export const handler = createChannelHandler(() => awsChannelDeps('email'));
