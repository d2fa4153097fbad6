import { runWatchdog } from '../watchdog/run-watchdog.ts';
import { awsWatchdogDeps } from '../watchdog/deps.ts';

let deps: ReturnType<typeof awsWatchdogDeps> | undefined;

/** The hourly watchdog (EventBridge Scheduler): the daily heartbeat, and what is wrong, told to the operations topic. */
export const handler = async (_event?: unknown) => {
  deps ??= awsWatchdogDeps();
  return runWatchdog(deps, deps.clock.now());
};
