import type { Config } from '@spend-alerts/core';

/**
 * The config as the local runtime runs it: every webhook receiver points at the local receiver
 * (which verifies signatures), and may reach loopback. Everything else is the user's config as is.
 */
export function localizeConfig(config: Config, webhookUrl: string): Config {
  return {
    ...config,
    receivers: config.receivers.map((r) =>
      r.type === 'webhook' ? { ...r, url: webhookUrl, urlSecret: undefined, allowPrivateNetwork: true } : r,
    ),
  };
}

/** The secret names a config references, which the local runtime sets. */
export function secretNames(config: Config) {
  const hooks = config.receivers.filter((r) => r.type === 'webhook');
  return {
    slackToken: config.slack.tokenSecret,
    webhookSigning: [...new Set(hooks.map((r) => r.signingSecret))],
    webhookUrls: [...new Set(hooks.flatMap((r) => (r.urlSecret ? [r.urlSecret] : [])))],
    teamsUrls: [...new Set(config.receivers.flatMap((r) => (r.type === 'teams' ? [r.urlSecret] : [])))],
    webhookHeaders: [...new Set(hooks.flatMap((r) => Object.values(r.headerSecrets)))],
  };
}
