import { BENCH_ACCOUNTS } from '../../bench/lib/traffic.ts';

/**
 * The fault and race runs' config: three channels (Slack, email, a signed webhook), every alert to
 * each, grouped by kind and account, enrichment on, over the bench's five accounts.
 */
export function threeChannelConfig(options: {
  groupWait: string;
  groupInterval?: string;
  webhookTimeoutMs?: number;
}): string {
  return `
version: 1
accounts:
${BENCH_ACCOUNTS.map((id, i) => `  "${id}": { name: account-${i + 1} }`).join('\n')}
slack: { tokenSecret: SlackBotToken }
email: { from: alerts@example.com }
enrichment: { enabled: true, topServices: 5, cacheTtl: 6h }
receivers:
  - { name: ops, type: slack, channel: "#finops-alerts" }
  - { name: mail, type: email, to: [ops@example.com] }
  - { name: hook, type: webhook, url: "{{webhookUrl}}", signingSecret: HookSecret, allowPrivateNetwork: true${options.webhookTimeoutMs ? `, timeoutMs: ${options.webhookTimeoutMs}` : ''} }
route:
  receiver: ops
  groupBy: [kind, accountId]
  groupWait: ${options.groupWait}${options.groupInterval ? `\n  groupInterval: ${options.groupInterval}` : ''}
  routes:
    - { receiver: hook, continue: true }
    - { receiver: mail, continue: true }
    - { receiver: ops }
`;
}
