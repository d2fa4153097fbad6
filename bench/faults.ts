/**
 * The long fault mix and the race measurements (tests/faults holds the quick versions).
 */
import { runFaultMix, type FaultMixReport } from '../tests/faults/mix.ts';
import { runRacing, type RacingReport } from '../tests/faults/racing.ts';
import { progress } from './lib/stats.ts';

export interface FaultsResult {
  mix: Omit<FaultMixReport, 'lostPairs' | 'duplicatedSlackOrEmail' | 'killLog' | 'unexplainedDuplicates'> & {
    lostEvents: number;
    lostPairsSample: string[];
  };
  /** Two consumers on the same records at once, alerts one by one (groupWait 0). */
  raceUngrouped: Omit<RacingReport, 'lostPairs' | 'duplicatedSlackOrEmail'>;
  /** The same with grouping (groupWait 1s): the flush lease settles the race. */
  raceGrouped: Omit<RacingReport, 'lostPairs' | 'duplicatedSlackOrEmail'>;
}

export async function runFaults(options: { quick?: boolean } = {}): Promise<FaultsResult> {
  const quick = options.quick ?? false;
  const mix = await runFaultMix({
    events: quick ? 120 : 500,
    fixtures: true,
    consumersPerChannel: 2,
    slackFaults: true,
    webhookFaults: true,
    ceThrottleRate: 0.3,
    deliverTwice: true,
    kills: quick
      ? { slack: [40], webhook: [60], email: [50] }
      : { slack: [40, 180, 360], webhook: [60, 260, 460], email: [50, 220, 420] },
    sqsTime: { receiveS: 15, backoffS: 2 },
    publishRatePerSec: quick ? 40 : 25,
    seed: 11,
    timeoutMs: 400_000,
    onProgress: (m) => progress(`faults: ${m}`),
  });
  const { lostPairs, duplicatedSlackOrEmail: _d, killLog, unexplainedDuplicates, ...figures } = mix;
  if (unexplainedDuplicates.length || figures.webhookDuplicates) {
    progress(
      `faults: duplicates not explained by a kill: ${JSON.stringify(unexplainedDuplicates)}; kills: ${JSON.stringify(killLog.map((k) => ({ ...k, inFlight: k.inFlight.length })))}`,
    );
  }
  progress(`faults: ${JSON.stringify(figures)}`);
  const lostEvents = new Set(lostPairs.map((p) => p.split(': ')[1])).size;
  progress(`faults: mix done in ${mix.seconds.toFixed(0)} s; racing consumers without grouping`);
  const strip = ({ lostPairs: _l, duplicatedSlackOrEmail: _x, ...rest }: RacingReport) => rest;
  const raceUngrouped = strip(await runRacing({ events: quick ? 40 : 100, groupWait: '0s' }));
  progress('faults: racing consumers with grouping');
  const raceGrouped = strip(await runRacing({ events: quick ? 40 : 100, groupWait: '1s' }));
  return { mix: { ...figures, lostEvents, lostPairsSample: lostPairs.slice(0, 5) }, raceUngrouped, raceGrouped };
}
