/**
 * The figures of issue 18 against the naive peer (`naive-consumer.ts`), kept apart from `run.ts`:
 * the same traffic through the pipeline (noise control off) and through the peer, side by side in one
 * run, and a 1,000-event burst to one channel under Slack's posting limit (`burst-limits.ts`).
 */
import { runLimitedBurst, type LimitedBurstResult } from './burst-limits.ts';
import { runTransport, type TransportResult } from './e2e.ts';
import { progress } from './lib/stats.ts';

export interface PeerRuns {
  naive?: TransportResult;
  naivePaced?: TransportResult;
  pipelineBurst?: LimitedBurstResult;
  naiveBurst?: LimitedBurstResult;
}

/** The naive peer on the e2e traffic: `n` at once, then `paced` at its rate; run right after the pipeline's. */
export async function runNaiveTransport(
  n: number,
  consumers: number,
  paced: { messages: number; ratePerSec: number },
): Promise<Pick<PeerRuns, 'naive' | 'naivePaced'>> {
  progress(`e2e: ${n} notifications through the naive peer`);
  const naive = await runTransport('naive', n, consumers);
  progress(`e2e: ${paced.messages} notifications at ${paced.ratePerSec}/s through the naive peer`);
  const naivePaced = await runTransport('naive', paced.messages, consumers, { ratePerSec: paced.ratePerSec });
  return { naive, naivePaced };
}

/** The burst under Slack's limit, pipeline then peer. Quick: fewer events for the peer (it needs about one second each). */
export async function runLimitedBursts(quick: boolean): Promise<Pick<PeerRuns, 'pipelineBurst' | 'naiveBurst'>> {
  progress("slack-limits: 1,000 alerts to one channel under Slack's posting limit, pipeline");
  const pipelineBurst = await runLimitedBurst('pipeline', { deadlineS: 900 });
  const events = quick ? 100 : 1000;
  progress(`slack-limits: ${events} alerts to one channel under Slack's posting limit, naive peer`);
  const naiveBurst = await runLimitedBurst('naive', { events, deadlineS: quick ? 300 : 2400 });
  return { pipelineBurst, naiveBurst };
}

/** [key, value, digits] for `run.ts`'s figures. */
export function peerFigures(
  runs: PeerRuns,
  pipeline?: TransportResult,
  pipelinePaced?: TransportResult,
): Array<[string, number | undefined, number]> {
  const { naive, naivePaced, pipelineBurst, naiveBurst } = runs;
  const ratio = (a?: number, b?: number) => (a !== undefined && b ? a / b : undefined);
  const complete = (b?: LimitedBurstResult) => (b && b.visible === b.events ? b.visibleSeconds : undefined);
  return [
    ['e2eThroughputRatioToNaive', ratio(pipeline?.msgsPerSec, naive?.msgsPerSec), 3],
    ['e2eP99RatioToNaive', ratio(pipeline?.p99Ms, naive?.p99Ms), 2],
    ['e2eP99RatioToNaivePaced', ratio(pipelinePaced?.p99Ms, naivePaced?.p99Ms), 2],
    ['naiveMsgsPerSec', naive?.msgsPerSec, 1],
    ['naiveP50Ms', naive?.p50Ms, 0],
    ['naiveP99Ms', naive?.p99Ms, 0],
    ['naiveP50MsPaced', naivePaced?.p50Ms, 0],
    ['naiveP99MsPaced', naivePaced?.p99Ms, 0],
    ['burstVisibleSecondsPipeline', complete(pipelineBurst), 1],
    ['burstVisibleSecondsNaive', complete(naiveBurst), 1],
    ['burstVisibleEventsPipeline', pipelineBurst?.visible, 0],
    ['burstVisibleEventsNaive', naiveBurst?.visible, 0],
    ['burstEventsNaive', naiveBurst?.events, 0],
    ['burstMessagesPipeline', pipelineBurst?.messages, 0],
    ['burstMessagesNaive', naiveBurst?.messages, 0],
    ['burst429sPipeline', pipelineBurst?.rateLimited, 0],
    ['burst429sNaive', naiveBurst?.rateLimited, 0],
  ];
}

type Row = (label: string, value: number | undefined, unit: string, target: string, ok?: boolean) => void;

/** The table's rows for these figures (`f`: the figures by key). */
export function peerRows(f: Record<string, number | undefined>, row: Row, paced: { ratePerSec: number }): void {
  const has = (k: string) => f[k] !== undefined;
  row('naive peer p99', f.naiveP99Ms, ' ms', '');
  row('naive peer throughput', f.naiveMsgsPerSec, ' msg/s', '');
  row(
    'e2e / naive throughput',
    f.e2eThroughputRatioToNaive,
    '×',
    '≥ 0.7',
    has('e2eThroughputRatioToNaive') ? f.e2eThroughputRatioToNaive! >= 0.7 : undefined,
  );
  row(
    'e2e p99 / naive p99',
    f.e2eP99RatioToNaive,
    '×',
    '≤ 1.5',
    has('e2eP99RatioToNaive') ? f.e2eP99RatioToNaive! <= 1.5 : undefined,
  );
  row(`naive peer p99 at ${paced.ratePerSec}/s`, f.naiveP99MsPaced, ' ms', '');
  row(
    `e2e p99 / naive p99 at ${paced.ratePerSec}/s`,
    f.e2eP99RatioToNaivePaced,
    '×',
    '≤ 1.5',
    has('e2eP99RatioToNaivePaced') ? f.e2eP99RatioToNaivePaced! <= 1.5 : undefined,
  );
  const burstOk = has('burstVisibleSecondsPipeline')
    ? f.burstVisibleSecondsPipeline! < 60 && (f.burstMessagesPipeline ?? Infinity) <= 10
    : has('burstVisibleEventsPipeline')
      ? false
      : undefined;
  row(
    "1,000-event burst under Slack's limit: all visible, pipeline",
    f.burstVisibleSecondsPipeline,
    ' s',
    '< 60, ≤ 10 messages',
    burstOk,
  );
  row('  messages / 429s, pipeline', f.burstMessagesPipeline, ` / ${f.burst429sPipeline}`, '');
  row(`  all visible, naive peer (${f.burstEventsNaive ?? 0} events)`, f.burstVisibleSecondsNaive, ' s', '');
  row('  messages / 429s, naive peer', f.burstMessagesNaive, ` / ${f.burst429sNaive}`, '');
}
