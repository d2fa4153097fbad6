/**
 * The pipeline watching itself without a CloudWatch alarm or a custom metric: an hourly check reads
 * what the pipeline left in its ledger and its dead-letter queues, and says what is wrong. A finding
 * is reported when it appears and again when it clears, never every hour in between.
 */

/** What one hourly check saw. */
export interface WatchdogObservation {
  now: Date;
  /** When the last heartbeat was published to the spend topic (null: never), and when each channel's consumer last saw one. */
  heartbeat: { publishedAt: string | null; seen: Record<string, string | null> };
  /** Each channel's dead-letter queue: records in it, when the oldest was first sent (null when empty or unknown). */
  deadLetters: Record<string, { messages: number; oldestSentAt: string | null }>;
  /** How long a dead-lettered record is kept. */
  deadLetterRetentionSeconds: number;
  /** Whether any receiver gets digests, and when the digest job last ran (null: never). */
  digest: { expected: boolean; lastRunAt: string | null };
  /** How long consumers have to see a heartbeat (default {@link HEARTBEAT_GRACE_MS}). */
  heartbeatGraceMs?: number;
}

export interface WatchdogFinding {
  /** Stable across checks: `heartbeat-missing:slack`, `dead-letters:email`, `digest-job-stalled`. */
  key: string;
  severity: 'critical' | 'warning';
  summary: string;
}

const HOUR = 3_600_000;
/** A heartbeat reaches every consumer within minutes; an hour is generous. */
export const HEARTBEAT_GRACE_MS = HOUR;
/** The digest job runs hourly; three missed runs mean it is broken, not late. */
export const DIGEST_STALE_MS = 3 * HOUR;
/** A heartbeat a day. */
export const HEARTBEAT_EVERY_MS = 24 * HOUR;

/** Whether this check should publish a heartbeat: none yet, or the last is a day old. */
export function heartbeatDue(observation: Pick<WatchdogObservation, 'now' | 'heartbeat'>): boolean {
  const last = observation.heartbeat.publishedAt;
  // A little under a day, so that an hourly check drifting by seconds keeps one heartbeat a day.
  return !last || observation.now.getTime() - Date.parse(last) >= HEARTBEAT_EVERY_MS - 5 * 60_000;
}

/** What is wrong now. */
export function inspect(o: WatchdogObservation): WatchdogFinding[] {
  const findings: WatchdogFinding[] = [];
  const now = o.now.getTime();
  const published = o.heartbeat.publishedAt ? Date.parse(o.heartbeat.publishedAt) : null;
  if (published !== null && now - published >= (o.heartbeatGraceMs ?? HEARTBEAT_GRACE_MS)) {
    for (const [channel, seen] of Object.entries(o.heartbeat.seen)) {
      if (seen && Date.parse(seen) >= published) continue;
      findings.push({
        key: `heartbeat-missing:${channel}`,
        severity: 'critical',
        summary: `No heartbeat went through the ${channel} consumer since ${o.heartbeat.publishedAt}: the topic, the ${channel} queue or its function is broken, and ${channel} alerts are not being delivered.`,
      });
    }
  }
  for (const [channel, dlq] of Object.entries(o.deadLetters)) {
    if (dlq.messages <= 0) continue;
    const ageDays = dlq.oldestSentAt ? (now - Date.parse(dlq.oldestSentAt)) / 86_400_000 : null;
    const keptDays = o.deadLetterRetentionSeconds / 86_400;
    const expiring = ageDays !== null && ageDays >= keptDays / 2;
    const records = dlq.messages === 1 ? '1 record' : `${dlq.messages} records`;
    findings.push({
      key: `dead-letters:${channel}`,
      severity: expiring ? 'critical' : 'warning',
      summary:
        `${records} in the ${channel} dead-letter queue` +
        (ageDays === null ? '' : `, the oldest ${Math.floor(ageDays)} days old (kept ${keptDays} days)`) +
        `. Read the reasons with \`spend-alerts dlq list --channel ${channel}\`, fix the cause, then redrive.`,
    });
  }
  if (o.digest.expected) {
    const last = o.digest.lastRunAt ? Date.parse(o.digest.lastRunAt) : null;
    if (last !== null && now - last >= DIGEST_STALE_MS)
      findings.push({
        key: 'digest-job-stalled',
        severity: 'critical',
        summary: `The digest job has not run since ${o.digest.lastRunAt}: digests are not being sent.`,
      });
  }
  return findings;
}

/** What changed since the last check: findings to announce, and the keys of those that cleared. */
export function changes(
  previous: readonly string[],
  current: readonly WatchdogFinding[],
): { raised: WatchdogFinding[]; cleared: string[] } {
  const was = new Set(previous);
  const now = new Set(current.map((f) => f.key));
  return { raised: current.filter((f) => !was.has(f.key)), cleared: previous.filter((k) => !now.has(k)) };
}

/** The operations notification for a check's changes (null when nothing changed). */
export function operationsMessage(
  raised: readonly WatchdogFinding[],
  cleared: readonly string[],
  stage: string,
): { subject: string; message: string } | null {
  if (!raised.length && !cleared.length) return null;
  const critical = raised.some((f) => f.severity === 'critical');
  const subject = raised.length
    ? `spend-alerts ${stage}: ${critical ? 'CRITICAL' : 'warning'}: ${raised.length === 1 ? raised[0]!.key : `${raised.length} problems`}`
    : `spend-alerts ${stage}: resolved: ${cleared.join(', ')}`;
  const lines = [
    ...raised.map((f) => `${f.severity.toUpperCase()} ${f.key}\n  ${f.summary}`),
    ...cleared.map((k) => `RESOLVED ${k}`),
  ];
  return { subject: subject.slice(0, 99), message: `${lines.join('\n\n')}\n` };
}
