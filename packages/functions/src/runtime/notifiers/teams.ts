import type { Notifier } from '@spend-alerts/adapters';
import { TeamsNotifier } from '@spend-alerts/adapters/teams';
import type { NotifierFactory } from '../channel-deps.ts';

/**
 * The environment variable by which the local runtime lets Teams reach its stand-in on loopback;
 * the notifier ignores it inside AWS Lambda.
 */
export const LOCAL_ENDPOINTS_ENV = 'SPEND_ALERTS_LOCAL_ENDPOINTS';

/** Teams Workflows webhooks: each receiver's URL from its secret, resolved at delivery. */
export const teamsNotifier: NotifierFactory = ({ secrets, env }) =>
  new TeamsNotifier({ secrets, env, allowLoopback: env[LOCAL_ENDPOINTS_ENV] === '1' }) as Notifier;
