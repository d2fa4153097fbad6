export * from './errors.ts';
export * from './log.ts';
export * from './secrets.ts';
export * from './notifier.ts';
export { SlackNotifier, classifySlackError, type SlackNotifierOptions } from './slack/notifier.ts';
export { SesNotifier, type SesNotifierOptions } from './email/notifier.ts';
export { WebhookNotifier, webhookId, type WebhookNotifierOptions } from './webhook/notifier.ts';
export { TeamsNotifier, type TeamsNotifierOptions } from './teams/notifier.ts';
export { TeamsDigestSender } from './teams/digest-sender.ts';
export { signingSecretProblem } from './webhook/signing-secret.ts';
export {
  vetDestination,
  isBlockedAddress,
  BlockedDestinationError,
  systemResolver,
  type Resolver,
} from './webhook/ssrf.ts';
export type * from './ledger/roles.ts';
export { dynamoLedgerStores, type DynamoStoresOptions } from './ledger/dynamo-stores.ts';
export { DynamoDeliveryLedger } from './ledger/dynamo-deliveries.ts';
export { LedgerTable, createLedgerTable } from './ledger/table.ts';
export { memoryLedgerStores } from './ledger/memory-stores.ts';
export {
  CostExplorerEnricher,
  type EnrichmentCache,
  type CostExplorerEnricherOptions,
} from './enrich/cost-explorer.ts';
export { CostHistory, SETTLE_MS, type HistoryAnswer } from './enrich/cost-history.ts';
export type { CostHistoryStore, StoredCostDay } from './enrich/history-store.ts';
export { DynamoCostHistoryStore } from './ledger/cost-history-store.ts';
export { awsClientConfig, REQUEST_TIMEOUTS, type AwsServiceId } from './aws.ts';
export { svgToPng, SHIPPED_FONT, ChartRenderError, type PngOptions } from './chart/png.ts';
export { buildRawEmail } from './email/raw-mime.ts';
export { SesDigestSender } from './email/digest-sender.ts';
export { SlackFileUploader } from './slack/files.ts';
export { SlackDigestSender } from './slack/digest-sender.ts';
export { loadOrganizationAccounts, mergedDirectory } from './accounts/organizations.ts';
