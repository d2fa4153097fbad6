import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Notifier } from '@spend-alerts/adapters';
import { awsClientConfig } from '@spend-alerts/adapters/aws';
import { SesNotifier } from '@spend-alerts/adapters/email';
import type { NotifierFactory } from '../channel-deps.ts';

/** Email through SES v2, from the config's `email.from`. */
export const emailNotifier: NotifierFactory = ({ config, env, accounts }) => {
  if (!config.email) throw new Error('email receivers need email.from in the config');
  return new SesNotifier({
    client: new SESv2Client(awsClientConfig(env, 'SESV2')),
    from: config.email.from,
    configurationSet: config.email.configurationSet,
    accounts,
  }) as Notifier;
};
