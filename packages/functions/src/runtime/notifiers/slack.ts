import type { Notifier } from '@spend-alerts/adapters';
import { SlackNotifier } from '@spend-alerts/adapters/slack';
import type { NotifierFactory } from '../channel-deps.ts';

/** Slack's notifier: the bot token from its secret, the Web API at `SLACK_API_URL` when set (local runs). */
export const slackNotifier: NotifierFactory = ({ config, secrets, env, accounts }) =>
  new SlackNotifier({ token: secrets(config.slack.tokenSecret), slackApiUrl: env.SLACK_API_URL, accounts }) as Notifier;
