import { Writable } from 'node:stream';
import { awsDigestDeps, runDigests, type Clock } from '@spend-alerts/functions';

const HOUR = 3_600_000;

/**
 * The Digest schedule (minute 5 of every hour) on the simulated clock. Runs never overlap: at
 * simulated speed an hour passes in milliseconds, and a run must finish before the next starts.
 */
export async function startDigestSchedule(options: {
  env: NodeJS.ProcessEnv;
  clock: Clock;
  onLog?: (line: Record<string, unknown>) => void;
}) {
  const destination = new Writable({
    write(chunk, _encoding, done) {
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
  const deps = await awsDigestDeps({ env: options.env, clock: options.clock, logDestination: destination });
  let running = true;
  let current: Promise<unknown> = Promise.resolve();
  const runNow = () => (current = current.then(() => runDigests(deps, options.clock.now())).catch(() => undefined));
  const loop = (async () => {
    let next = nextRun(options.clock.now().getTime());
    while (running) {
      const wait = options.clock.realDelayMs(next - options.clock.now().getTime());
      if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, 250)));
      if (!running) break;
      if (options.clock.now().getTime() >= next) {
        await runNow();
        next = nextRun(options.clock.now().getTime());
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

/** The next minute 5 of an hour after `t`. */
function nextRun(t: number): number {
  const hour = Math.floor(t / HOUR) * HOUR + 5 * 60_000;
  return hour > t ? hour : hour + HOUR;
}
