import { createChannelHandler } from '../pipeline/handler.ts';
import { buildChannelDeps } from '../runtime/channel-deps.ts';
import { teamsNotifier } from '../runtime/notifiers/teams.ts';

/** The Teams consumer: SQS records from the Teams queue, delivered to the config's Teams receivers. */
export const handler = createChannelHandler(() => buildChannelDeps('teams', teamsNotifier));
