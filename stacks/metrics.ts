/**
 * The metrics the handlers write in CloudWatch embedded metric format (one JSON log line with an `_aws`
 * key; no API call, no IAM permission), and the alarms in monitoring.ts read. Each function gets the
 * namespace in `SPEND_ALERTS_METRICS_NAMESPACE`, so two stages in one account never mix their metrics.
 */
export const METRICS_NAMESPACE_ENV = 'SPEND_ALERTS_METRICS_NAMESPACE';

/** `SpendAlerts/<stage>`: one namespace per deployed stage. */
export function metricsNamespace(stage: string): string {
  return `SpendAlerts/${stage}`;
}

/** Every metric carries the channel that emitted it, as this dimension (`slack`, `email`, `webhook`, `digest`). */
export const CHANNEL_DIMENSION = 'Channel';

/** Metric names, all of unit Count. */
export const METRICS = {
  received: 'Received',
  delivered: 'Delivered',
  failed: 'Failed',
  deadLettered: 'DeadLettered',
  costExplorerRequests: 'CostExplorerRequests',
  /** 1 when a consumer processed a heartbeat event (published daily by the Heartbeat schedule). */
  heartbeat: 'Heartbeat',
} as const;
