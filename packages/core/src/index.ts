export * from './errors.ts';
export * from './event/money.ts';
export * from './event/schema.ts';
export { eventId } from './event/id.ts';
export * from './envelope/unwrap.ts';
export { normalize, NORMALIZERS, type NormalizeOptions } from './normalize/index.ts';
export { formatMoney } from './normalize/common.ts';
export { budgetSeverity } from './normalize/budget-text.ts';
export { alarmSeverity } from './normalize/cloudwatch-alarm.ts';
export { anomalySeverity } from './normalize/anomaly.ts';
export { awsConsoleUrl, isAwsConsoleHost } from './normalize/console-url.ts';
export { readInput, type ReadResult } from './read.ts';
export { publishedSchemas } from './schemas.ts';
export * from './config/primitives.ts';
export * from './config/schema.ts';
export { loadConfig, validateConfig, ConfigError, formatPath } from './config/load.ts';
export * from './config/compiled.ts';
export * from './routing/matchers.ts';
export * from './routing/labels.ts';
export * from './routing/route.ts';
export * from './noise/keys.ts';
export * from './noise/mute.ts';
export * from './noise/silence.ts';
export * from './noise/store.ts';
export * from './noise/controller.ts';
export * from './watchdog/inspect.ts';
export type { Enrichment, ServiceCost } from './enrich/types.ts';
export * from './enrich/windows.ts';
export { projectMonthEnd, daysInMonth, type Projection } from './enrich/projection.ts';
export { enrichmentFromHistory, type CostDay, type FromHistoryInput } from './enrich/from-history.ts';
export type { EnrichedEvent, Notification, RenderContext } from './channels/types.ts';
export type { SlackReceiver } from './channels/slack/config.ts';
export type { EmailReceiver } from './channels/email/config.ts';
export type { WebhookReceiver } from './channels/webhook/config.ts';
export type { TeamsReceiver } from './channels/teams/config.ts';
export { renderTeamsMessage } from './channels/teams/render.ts';
export { renderDigestTeams } from './channels/teams/digest.ts';
export { teamsText, type TeamsMessage } from './channels/teams/card.ts';
export {
  channelOf,
  isDigestReceiver,
  takesDigests,
  RECEIVER_TYPES,
  DIGEST_RECEIVER_TYPES,
  type ChannelDefinition,
  type DigestCapableReceiver,
  type ReceiverType,
} from './channels/registry.ts';
export * from './channels/escape.ts';
export { sparkline } from './channels/sparkline.ts';
export { renderSlackMessage, slackMention, type SlackMessage } from './channels/slack/render.ts';
export { renderEmail, emailSubject, type RenderedEmail } from './channels/email/render.ts';
export {
  renderWebhookPayload,
  WebhookPayloadSchema,
  WebhookEventDataSchema,
  webhookPayloadJsonSchema,
  WEBHOOK_SCHEMA_VERSION,
  type WebhookPayload,
  type WebhookEventData,
} from './channels/webhook/payload.ts';
export { sampleEnrichment } from './enrich/sample.ts';
export { eventFacts, accountLabel, type Fact } from './channels/facts.ts';
export { summarizeGroup, worstSeverity } from './channels/group.ts';
export { breakdownView, type BreakdownView } from './channels/breakdown.ts';
export { destinationOf, deliveryTarget } from './channels/destination.ts';
export {
  dueDigest,
  latestDigestPeriod,
  periodEvents,
  periodLabel,
  DEFAULT_CATCH_UP_HOURS,
  type DigestPeriod,
} from './digest/period.ts';
export {
  buildDigest,
  shouldSendDigest,
  digestSnapshot,
  CONSOLE_LINKS,
  type Digest,
  type BuildDigestInput,
  type DigestBudgetInput,
  type PreviousDigest,
  type DigestBudget,
  type DigestMover,
  type DigestService,
  type DigestAlertGroup,
  type DigestAlertItem,
} from './digest/build.ts';
export {
  spendChartSvg,
  spendChartAlt,
  CHART_FONT_FAMILY,
  CHART_WIDTH,
  CHART_HEIGHT,
  CHART_LAYOUT,
  type SpendChartData,
} from './digest/chart-svg.ts';
export {
  renderDigestEmail,
  digestSubject,
  DIGEST_CHART_CID,
  type RenderedDigestEmail,
  type DigestEmailOptions,
} from './digest/render-email.ts';
export { renderDigestSlack, type DigestSlackMessage, type DigestSlackOptions } from './digest/render-slack.ts';
export { renderDigestText } from './digest/render-text.ts';
