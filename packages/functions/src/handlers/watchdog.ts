import { runWatchdog } from '../watchdog/run-watchdog.ts';
import { awsWatchdogDeps } from '../watchdog/deps.ts';

let deps: ReturnType<typeof awsWatchdogDeps> | undefined;

/** The hourly watchdog (EventBridge Scheduler): the daily heartbeat, and what is wrong, told to the operations topic. */
export const handler = async (_event?: unknown) => {
  deps ??= awsWatchdogDeps();
  const ready = await deps.catch((error) => {
    deps = undefined; // the next invocation tries again
    throw error;
  });
  return runWatchdog(ready, ready.clock.now());
};
