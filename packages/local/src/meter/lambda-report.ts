/**
 * Lambda bills each invocation and its duration, rounded up to the millisecond, times the memory
 * configured. Locally, the process running a handler writes one report line per invocation in the
 * shape of Lambda's own `platform.report` log event (JSON log format), which the runtime meters.
 */

export interface InvocationReport {
  durationMs: number;
  billedDurationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
}

const TYPE = 'platform.report';

/** The report line for one invocation (`maxRssMb`: the process's peak resident memory so far). */
export function reportLine(durationMs: number, memorySizeMB: number, maxRssMb: number): string {
  const metrics: InvocationReport = {
    durationMs: Math.round(durationMs * 1000) / 1000,
    billedDurationMs: billedMs(durationMs),
    memorySizeMB,
    maxMemoryUsedMB: Math.ceil(maxRssMb),
  };
  return JSON.stringify({ time: new Date().toISOString(), type: TYPE, record: { metrics } });
}

/** The report in a parsed log line, or null when it is not one. */
export function readReport(line: Record<string, unknown>): InvocationReport | null {
  if (line.type !== TYPE) return null;
  const metrics = (line.record as { metrics?: InvocationReport } | undefined)?.metrics;
  return metrics && Number.isFinite(metrics.billedDurationMs) ? metrics : null;
}

/** Billed duration: rounded up to the next millisecond, at least one. */
export function billedMs(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

/** GB-seconds of one invocation. */
export function gbSeconds(report: Pick<InvocationReport, 'billedDurationMs' | 'memorySizeMB'>): number {
  return (report.billedDurationMs / 1000) * (report.memorySizeMB / 1024);
}

/** Bytes Lambda itself writes to CloudWatch Logs per invocation (START, END and REPORT lines), modelled. */
export const PLATFORM_LOG_BYTES = 300;
