import type { Clock } from '@spend-alerts/functions';

/** A simulated clock every process computes the same way: simulated = start + (real − realStart) × speed. */
export interface SimClockSpec {
  /** Epoch ms of simulated time at `realStart`. */
  simStart: number;
  realStart: number;
  /** Simulated milliseconds per real millisecond. */
  speed: number;
}

export const SIM_CLOCK_ENV = 'SPEND_ALERTS_SIM_CLOCK';

export function simClock(spec: SimClockSpec, realNow: () => number = Date.now): Clock & { spec: SimClockSpec } {
  return {
    spec,
    now: () => new Date(spec.simStart + (realNow() - spec.realStart) * spec.speed),
    realDelayMs: (ms) => Math.max(0, ms / spec.speed),
  };
}

/** Reads the clock a parent process handed down, or null for real time. */
export function clockFromEnv(env: NodeJS.ProcessEnv): (Clock & { spec: SimClockSpec }) | null {
  const raw = env[SIM_CLOCK_ENV];
  if (!raw) return null;
  const spec = JSON.parse(raw) as SimClockSpec;
  return simClock(spec);
}

/** The speed that runs a simulated span in a given real time: a 30-day month in 60 s is 43,200×. */
export function speedFor(simulatedMs: number, realMs: number): number {
  return simulatedMs / realMs;
}
