import type { Clock } from '@spend-alerts/functions';
import { billedMs, gbSeconds } from '../meter/lambda-report.ts';
import type { CostMeter } from '../meter/usage.ts';

const HOUR = 3_600_000;

export interface ScheduledJob {
  /** Runs the job once now, after any run in progress. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * An hourly EventBridge schedule (`cron(M * * * ? *)`) on the simulated clock, running `job` in this
 * process as the scheduled function would. Runs never overlap: at simulated speed an hour passes in
 * milliseconds, and a run must finish before the next starts. With a `meter`, each run is metered as
 * one invocation of a function of `memoryMb`, under `source`.
 */
export function startHourlyJob(options: {
  minute: number;
  clock: Clock;
  job: () => Promise<unknown>;
  meter?: CostMeter;
  source: string;
  memoryMb: number;
}): ScheduledJob {
  const { clock, meter } = options;
  let running = true;
  let current: Promise<unknown> = Promise.resolve();
  const invoke = async () => {
    const started = performance.now();
    try {
      await options.job();
    } finally {
      const billed = billedMs(performance.now() - started);
      meter?.add('lambda.requests', options.source, 'invocation');
      meter?.add(
        'lambda.gbSeconds',
        options.source,
        'invocation',
        gbSeconds({ billedDurationMs: billed, memorySizeMB: options.memoryMb }),
      );
    }
  };
  const runNow = () => {
    current = current.then(invoke).catch(() => undefined);
    return current;
  };
  const next = (t: number) => {
    const at = Math.floor(t / HOUR) * HOUR + options.minute * 60_000;
    return at > t ? at : at + HOUR;
  };
  const loop = (async () => {
    let due = next(clock.now().getTime());
    while (running) {
      const wait = clock.realDelayMs(due - clock.now().getTime());
      if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, 250)));
      if (!running) break;
      if (clock.now().getTime() >= due) {
        await runNow();
        due = next(clock.now().getTime());
      }
    }
  })();
  return {
    runNow: async () => {
      await runNow();
    },
    async stop() {
      running = false;
      await loop;
      await current;
    },
  };
}

/** The minute of the hour an hourly `cron(M * * * ? *)` expression fires at. */
export function cronMinute(expression: string): number {
  const minute = /^cron\((\d+) \* \* \* \? \*\)$/.exec(expression)?.[1];
  if (minute === undefined) throw new Error(`not an hourly cron expression: ${expression}`);
  return Number(minute);
}
