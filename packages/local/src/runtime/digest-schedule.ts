import { Writable } from 'node:stream';
import {
  awsDigestDeps,
  awsWatchdogDeps,
  recordDigestRun,
  runDigests,
  runWatchdog,
  type Clock,
} from '@spend-alerts/functions';
import { spec } from '@spend-alerts/stacks/spec';
import { meteredCredentials } from '../meter/proxy.ts';
import type { CostMeter } from '../meter/usage.ts';
import { cronMinute, type ScheduledJob, startHourlyJob } from './scheduled-job.ts';

export interface ScheduleOptions {
  env: NodeJS.ProcessEnv;
  clock: Clock;
  onLog?: (line: Record<string, unknown>) => void;
  meter?: CostMeter;
}

const HOUR = 3_600_000;

/** Simulated milliseconds per real one. */
function speedOf(clock: Clock): number {
  return (clock as { spec?: { speed?: number } }).spec?.speed ?? 1;
}

/** The schedule stacks/spec.ts gives a job. */
function scheduleOf(name: string) {
  const found = spec.schedules.find((s) => s.name === name);
  if (!found) throw new Error(`stacks/spec.ts has no "${name}" schedule`);
  return found;
}

/**
 * Log lines of an in-process job, metered as its function's CloudWatch Logs, then handed to `onLog`;
 * and its environment, its requests counted as the job's.
 */
function jobIo(source: string, options: ScheduleOptions) {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      options.meter?.add('logs.ingestedBytes', source, 'handler output', Buffer.byteLength(chunk as Buffer));
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        try {
          options.onLog?.(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not a log line
        }
      }
      done();
    },
  });
  const env = options.env.AWS_ACCESS_KEY_ID?.startsWith('meter:')
    ? { ...options.env, AWS_ACCESS_KEY_ID: meteredCredentials(source).accessKeyId }
    : options.env;
  return { destination, env };
}

/** The Digest schedule, in this process: the same function the schedule invokes in the cloud. */
export async function startDigestSchedule(options: ScheduleOptions): Promise<ScheduledJob> {
  const schedule = scheduleOf('Digest');
  const { destination, env } = jobIo('digest', options);
  const deps = await awsDigestDeps({ env, clock: options.clock, logDestination: destination });
  return startHourlyJob({
    minute: cronMinute(schedule.schedule),
    clock: options.clock,
    meter: options.meter,
    source: 'digest',
    memoryMb: schedule.memoryMb,
    job: async () => {
      await runDigests(deps, options.clock.now());
      await recordDigestRun(deps.stores.cache, options.clock.now());
    },
  });
}

/** The Watchdog schedule, in this process: the daily heartbeat, and what it finds, on the operations topic. */
export function startWatchdogSchedule(options: ScheduleOptions): ScheduledJob & { check(): Promise<string[]> } {
  const schedule = scheduleOf('Watchdog');
  const { destination, env } = jobIo('watchdog', options);
  const ready = awsWatchdogDeps({ env, clock: options.clock, logDestination: destination }).then((deps) => {
    // On a clock running thousands of times faster, a consumer's few real milliseconds are simulated hours.
    deps.heartbeatGraceMs = Math.max(HOUR, 5000 * speedOf(options.clock));
    return deps;
  });
  const job = startHourlyJob({
    minute: cronMinute(schedule.schedule),
    clock: options.clock,
    meter: options.meter,
    source: 'watchdog',
    memoryMb: schedule.memoryMb,
    job: async () => runWatchdog(await ready, options.clock.now()),
  });
  return {
    ...job,
    /** Runs a check now, as the next scheduled one would, and says what it finds. */
    check: async () => (await runWatchdog(await ready, options.clock.now())).findings.map((f) => f.key),
  };
}
