import { CHANNEL_DIMENSION, type METRICS, METRICS_NAMESPACE_ENV } from '@spend-alerts/stacks/metrics';

export type MetricName = (typeof METRICS)[keyof typeof METRICS];

/**
 * Counts per invocation, written as one CloudWatch embedded-metric-format line: CloudWatch turns
 * it into metrics from the log, with no API call and no permission. Nothing is written where no
 * namespace is set (outside a deployment).
 */
export class Metrics {
  private readonly counts = new Map<MetricName, number>();

  constructor(
    private readonly channel: string,
    private readonly namespace: string | undefined,
    private readonly write: (line: string) => void = (line) => void process.stdout.write(`${line}\n`),
  ) {}

  static fromEnv(channel: string, env: NodeJS.ProcessEnv = process.env): Metrics {
    return new Metrics(channel, env[METRICS_NAMESPACE_ENV]);
  }

  count(name: MetricName, n = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }

  /** Writes and resets the counts of this invocation. */
  flush(now = Date.now()): void {
    if (!this.namespace || this.counts.size === 0) {
      this.counts.clear();
      return;
    }
    const names = [...this.counts.keys()];
    this.write(
      JSON.stringify({
        _aws: {
          Timestamp: now,
          CloudWatchMetrics: [
            {
              Namespace: this.namespace,
              Dimensions: [[CHANNEL_DIMENSION]],
              Metrics: names.map((Name) => ({ Name, Unit: 'Count' })),
            },
          ],
        },
        [CHANNEL_DIMENSION]: this.channel,
        ...Object.fromEntries(this.counts),
      }),
    );
    this.counts.clear();
  }
}
