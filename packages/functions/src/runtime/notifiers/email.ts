import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Notifier } from '@spend-alerts/adapters';
import { DeliveryError } from '@spend-alerts/adapters/errors';
import { awsClientConfig } from '@spend-alerts/adapters/aws';
import { SesNotifier } from '@spend-alerts/adapters/email';
import type { NotifierFactory } from '../channel-deps.ts';

/**
 * Email through SES v2, from the config's `email.from`. A config without it has no email receiver
 * (validation refuses one): the consumer still runs, for the heartbeat, and refuses a delivery.
 */
export const emailNotifier: NotifierFactory = ({ config, env, accounts }) => {
  if (!config.email)
    return {
      channel: 'email',
      perEvent: false,
      deliver: async () => {
        throw new DeliveryError('email receivers need email.from in the config', 'permanent');
      },
    } as Notifier;
  return new SesNotifier({
    client: new SESv2Client(awsClientConfig(env, 'SESV2')),
    from: config.email.from,
    configurationSet: config.email.configurationSet,
    accounts,
  }) as Notifier;
};
