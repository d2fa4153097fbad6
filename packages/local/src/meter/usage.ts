/**
 * What the pipeline's own AWS bill is made of, counted as the local stand-ins serve it: one key per
 * price dimension AWS bills. Counts carry the source that caused them (a channel's consumer, the
 * digest job, the watchdog, or the AWS services publishing to the topic), so a run can tell the cost
 * of its alerts from the cost of its schedules.
 */

/** A price dimension, as AWS bills it (us-east-1). */
export type UsageKey =
  | 'lambda.requests'
  | 'lambda.gbSeconds'
  | 'sqs.requests'
  | 'sns.publishes'
  | 'sns.sqsDeliveries'
  | 'dynamodb.writeUnits'
  | 'dynamodb.readUnits'
  | 'costExplorer.requests'
  | 'budgets.requests'
  | 'organizations.requests'
  | 'ses.recipients'
  | 'ses.attachmentBytes'
  | 'logs.ingestedBytes'
  | 'dataTransfer.outBytes'
  | 'slack.calls'
  | 'webhook.requests'
  | 'teams.requests';

/** Who caused a count: `consumer:<channel>`, `digest`, `watchdog`, `aws` (AWS services publishing), or `other`. */
export type UsageSource = string;

export interface UsageRecord {
  key: UsageKey;
  source: UsageSource;
  /** The API operation or event behind it (`ReceiveMessage`, `PutItem`, `invocation` …), for the breakdown. */
  detail: string;
  quantity: number;
}

/** Counts by key, source and detail, added up as they arrive. */
export class CostMeter {
  private readonly counts = new Map<string, UsageRecord>();

  add(key: UsageKey, source: UsageSource, detail: string, quantity = 1): void {
    if (!(quantity > 0)) return;
    const id = `${key}\u0000${source}\u0000${detail}`;
    const found = this.counts.get(id);
    if (found) found.quantity += quantity;
    else this.counts.set(id, { key, source, detail, quantity });
  }

  /** Every count so far, in the order first seen. */
  records(): UsageRecord[] {
    return [...this.counts.values()].map((r) => ({ ...r }));
  }

  /** The total of one key, over the sources `which` accepts (all by default). */
  total(key: UsageKey, which: (source: UsageSource) => boolean = () => true): number {
    let sum = 0;
    for (const r of this.counts.values()) if (r.key === key && which(r.source)) sum += r.quantity;
    return sum;
  }

  reset(): void {
    this.counts.clear();
  }
}

/** Adds up records by key, over the sources `which` accepts. */
export function totals(
  records: UsageRecord[],
  which: (source: UsageSource) => boolean = () => true,
): Partial<Record<UsageKey, number>> {
  const out: Partial<Record<UsageKey, number>> = {};
  for (const r of records) if (which(r.source)) out[r.key] = (out[r.key] ?? 0) + r.quantity;
  return out;
}

/** A consumer's source name. */
export const consumerSource = (channel: string): UsageSource => `consumer:${channel}`;
export const isConsumer = (source: UsageSource): boolean => source.startsWith('consumer:');
