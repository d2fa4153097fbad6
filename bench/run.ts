/**
 * `npm run bench`: every figure of issue 8 measured in one run on this machine, side by side.
 * Prints a table; with `--json`, the last line of standard output is one JSON object of numbers.
 * `--quick` runs smaller versions (for a smoke check, not for the README). Progress goes to stderr.
 * `--only core,bundles,e2e,rss,burst,slack-limits,faults,bad-input,cost` runs some sections.
 */
import './lib/quiet.ts';
import { availableParallelism, cpus } from 'node:os';
import { runBundles, type BundleResult } from './bundles.ts';
import { checkBadInputInChild, type BadInputResult } from './bad-input.ts';
import { runBurst, type BurstResult } from './burst.ts';
import { runCore, type CoreResult } from './core.ts';
import { runCost, type CostResult } from './cost.ts';
import { runTransport, type TransportResult } from './e2e.ts';
import { runFaults, type FaultsResult } from './faults.ts';
import { peerFigures, peerRows, runLimitedBursts, runNaiveTransport, type PeerRuns } from './peer.ts';
import { runRss, type RssResult } from './rss.ts';
import { progress, round } from './lib/stats.ts';
import { spec } from '@spend-alerts/stacks/spec';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wants = (section: string) => !only || only.includes(section);

const E2E_MESSAGES = quick ? 2000 : 10_000;
const E2E_CONSUMERS = 2;
/** Below the pipeline's capacity on this machine: latency without queueing. */
const PACED = { messages: quick ? 300 : 1500, ratePerSec: 50 };
const RSS_MESSAGES = quick ? 500 : 2000;
const BAD_INPUT_CASES = quick ? 10_000 : 100_000;
const CE_ACCOUNTS = 5;

const started = Date.now();
let core: CoreResult | undefined;
let bundles: BundleResult | undefined;
let bare: TransportResult | undefined;
let pipeline: TransportResult | undefined;
let barePaced: TransportResult | undefined;
let pipelinePaced: TransportResult | undefined;
let rss: RssResult | undefined;
let burst: BurstResult | undefined;
let faults: FaultsResult | undefined;
let badInput: BadInputResult | undefined;
let cost: CostResult | undefined;
let peer: PeerRuns = {};

if (wants('core')) {
  progress('core: readInput + routeEvent + renderSlackMessage over the fixtures');
  core = runCore(quick ? { warmupMs: 500, roundMs: 700, rounds: 3 } : { warmupMs: 1500, roundMs: 1500, rounds: 5 });
}
if (wants('bundles')) {
  progress('bundles: esbuild and cold imports');
  bundles = await runBundles({ runs: quick ? 3 : 7 });
}
if (wants('e2e')) {
  progress(`e2e: ${E2E_MESSAGES} notifications through the bare transport`);
  bare = await runTransport('bare', E2E_MESSAGES, E2E_CONSUMERS);
  progress(`e2e: ${E2E_MESSAGES} notifications through the pipeline`);
  pipeline = await runTransport('pipeline', E2E_MESSAGES, E2E_CONSUMERS);
  progress(`e2e: ${PACED.messages} notifications at ${PACED.ratePerSec}/s, bare then pipeline`);
  barePaced = await runTransport('bare', PACED.messages, E2E_CONSUMERS, { ratePerSec: PACED.ratePerSec });
  pipelinePaced = await runTransport('pipeline', PACED.messages, E2E_CONSUMERS, { ratePerSec: PACED.ratePerSec });
  peer = await runNaiveTransport(E2E_MESSAGES, E2E_CONSUMERS, PACED);
}
if (wants('rss')) {
  progress(`rss: the bundled slack consumer, ${RSS_MESSAGES} alerts in batches of ten`);
  rss = await runRss(RSS_MESSAGES);
}
// Counted, not timed: the bad-input check works beside them in its own process.
if (wants('bad-input')) progress(`bad-input: ${BAD_INPUT_CASES} cases in a child process`);
const badInputRun = wants('bad-input') ? checkBadInputInChild(BAD_INPUT_CASES) : null;
if (wants('faults')) faults = await runFaults({ quick });
if (wants('burst')) {
  progress('burst: 1,000 alerts to one Slack channel');
  burst = await runBurst();
}
if (wants('cost')) {
  progress('cost: the example config metered on the local pipeline (as `spend-alerts cost`)');
  cost = await runCost();
}
if (wants('slack-limits')) peer = { ...peer, ...(await runLimitedBursts(quick)) };
if (badInputRun) badInput = await badInputRun;

// ---- the figures -----------------------------------------------------------------------------

/** The Slack consumer's memory as deployed; every consumer has the same. */
const CONSUMER_MEMORY_MB = spec.consumers.slack.memoryMb;
const CONSUMER_TIMEOUT_MS = spec.consumers.slack.timeoutSeconds * 1000;

const maxBundle = bundles ? bundles.handlers.reduce((a, b) => (b.bytes > a.bytes ? b : a)) : undefined;
const maxCold = bundles ? bundles.handlers.reduce((a, b) => (b.coldMs > a.coldMs ? b : a)) : undefined;
const figures: Record<string, number> = {};
const put = (key: string, value: number | undefined, digits = 2) => {
  if (value !== undefined && Number.isFinite(value)) figures[key] = round(value, digits);
};
put('coreEventsPerSec', core?.eventsPerCpuSecond, 0);
put('e2eP50Ms', pipeline?.p50Ms, 0);
put('e2eP99Ms', pipeline?.p99Ms, 0);
put('bareP99Ms', bare?.p99Ms, 0);
put('bareMsgsPerSec', bare?.msgsPerSec, 1);
put('e2eP99RatioToBare', pipeline && bare ? pipeline.p99Ms / bare.p99Ms : undefined);
put('e2eThroughputRatioToBare', pipeline && bare ? pipeline.msgsPerSec / bare.msgsPerSec : undefined, 3);
put(
  'ceRequestsPer10kEvents5Accounts',
  pipeline?.costExplorerRequests !== undefined ? pipeline.costExplorerRequests : undefined,
  0,
);
put('slackMessagesPer1kBurst', burst?.postMessageCalls, 0);
put('maxHandlerBundleBytes', maxBundle?.bytes, 0);
put('maxHandlerBundleBytesWithSdk', bundles ? Math.max(...bundles.handlers.map((h) => h.bytesWithSdk)) : undefined, 0);
put('coldImportMsMax', maxCold?.coldMs, 1);
put('coldImportRatioToEmpty', maxCold && bundles ? maxCold.coldMs / bundles.emptyColdMs : undefined);
put('consumerPeakRssMb', rss?.peakMb, 1);
put('consumerPeakRssRatio', rss ? rss.peakMb / CONSUMER_MEMORY_MB : undefined);
put('consumerP99InvocationMs', rss?.p99InvocationMs, 0);
put('monthlyUsdIdle', cost?.monthlyUsdIdle);
put('monthlyUsdAt1k', cost?.monthlyUsdAt1k);
put('monthlyUsdAt100k', cost?.monthlyUsdAt100k);
put('ceRequestsPerMonthAt100k', cost?.ceRequestsPerMonthAt100k, 0);
put('dynamoWritesPerAlert', cost?.dynamoWritesPerAlert);
put('sqsRequestsPerAlert', cost?.sqsRequestsPerAlert);
put('lostEvents', faults?.mix.lostEvents, 0);
put('duplicateDeliveries', faults ? faults.mix.webhookDuplicates + faults.mix.otherSlackEmailDuplicates : undefined, 0);
put('crashWindowDuplicates', faults?.mix.crashWindowDuplicates, 0);
put('crashWindowDuplicatesSlack', faults?.mix.crashWindowDuplicatesSlack, 0);
put('crashWindowDuplicatesEmail', faults?.mix.crashWindowDuplicatesEmail, 0);
// More context, same run.
put('coreEventsPerWallSec', core?.eventsPerWallSecond, 0);
put('coreReadEventsPerSec', core?.readPerCpuSecond, 0);
put('coreReadRouteEventsPerSec', core?.readRoutePerCpuSecond, 0);
put('e2eMsgsPerSec', pipeline?.msgsPerSec, 1);
put('bareP50Ms', bare?.p50Ms, 0);
put('e2eMessages', pipeline?.messages, 0);
put('pacedRatePerSec', pipelinePaced ? PACED.ratePerSec : undefined, 0);
put('e2eP50MsPaced', pipelinePaced?.p50Ms, 0);
put('e2eP99MsPaced', pipelinePaced?.p99Ms, 0);
put('bareP99MsPaced', barePaced?.p99Ms, 0);
put('e2eP99RatioToBarePaced', pipelinePaced && barePaced ? pipelinePaced.p99Ms / barePaced.p99Ms : undefined);
put('consumerPeakRssMbFromSource', pipeline?.consumerPeakRssMb, 1);
put('consumerStartedRssMb', rss?.startedMb, 1);
put('firstInvocationMs', rss?.firstInvocationMs, 0);
put('laterInvocationMsMedian', rss?.laterInvocationMs, 0);
put(
  'ceRequestsPerAccount',
  pipeline?.costExplorerRequests !== undefined ? pipeline.costExplorerRequests / CE_ACCOUNTS : undefined,
);
put('emptyHandlerColdImportMs', bundles?.emptyColdMs, 1);
put('coldImportOnlyMsMax', bundles ? Math.max(...bundles.handlers.map((h) => h.importOnlyMs)) : undefined, 1);
put('burstEventsCarried', burst?.eventsCarried, 0);
put('burstSeconds', burst?.seconds, 1);
put('faultEvents', faults?.mix.events, 0);
put('faultKills', faults?.mix.kills, 0);
put('faultDeadLettered', faults?.mix.deadLettered, 0);
put('faultWebhookDuplicates', faults?.mix.webhookDuplicates, 0);
put('faultSlackDuplicates', faults?.mix.slackDuplicates, 0);
put('faultEmailDuplicates', faults?.mix.emailDuplicates, 0);
put('faultWebhookRepeats', faults?.mix.webhookRepeats, 0);
put('faultConditionalCheckFailures', faults?.mix.conditionalCheckFailures, 0);
put('faultSlack429', faults?.mix.slack429, 0);
put('faultSlack5xx', faults?.mix.slack5xx, 0);
put('faultWebhookTimeouts', faults?.mix.webhookTimeouts, 0);
put('faultCeThrottled', faults?.mix.ceThrottled, 0);
put(
  'raceWindowDuplicatesUngrouped',
  faults ? faults.raceUngrouped.slackDuplicates + faults.raceUngrouped.emailDuplicates : undefined,
  0,
);
put('raceEventsUngrouped', faults?.raceUngrouped.events, 0);
put(
  'raceDuplicatesGrouped',
  faults
    ? faults.raceGrouped.slackDuplicates + faults.raceGrouped.emailDuplicates + faults.raceGrouped.webhookDuplicates
    : undefined,
  0,
);
put('badInputCases', badInput?.cases, 0);
put('badInputFailures', badInput?.failures, 0);
for (const [key, value, digits] of peerFigures(peer, pipeline, pipelinePaced)) put(key, value, digits);
put('cpus', availableParallelism(), 0);
put('benchSeconds', (Date.now() - started) / 1000, 0);

// ---- the table -----------------------------------------------------------------------------

const rows: Array<[string, string, string, string]> = [];
const row = (label: string, value: number | undefined, unit: string, target: string, ok?: boolean) => {
  if (value === undefined) return;
  rows.push([label, `${value.toLocaleString('en-US')}${unit}`, target, ok === undefined ? '' : ok ? 'met' : 'MISSED']);
};
const f = figures;
row('core events/s (one core, CPU time)', f.coreEventsPerSec, '', '≥ 50,000', f.coreEventsPerSec! >= 50_000);
row('core events/s (wall clock)', f.coreEventsPerWallSec, '', '');
row(`e2e p50 (${pipeline?.messages ?? 0} notifications)`, f.e2eP50Ms, ' ms', '');
row('e2e p99', f.e2eP99Ms, ' ms', '');
row('bare p99', f.bareP99Ms, ' ms', '');
row('e2e p99 / bare p99', f.e2eP99RatioToBare, '×', '≤ 2', f.e2eP99RatioToBare! <= 2);
row(`e2e p99 at ${PACED.ratePerSec}/s (${PACED.messages} notifications)`, f.e2eP99MsPaced, ' ms', '');
row(`bare p99 at ${PACED.ratePerSec}/s`, f.bareP99MsPaced, ' ms', '');
row(
  `e2e p99 / bare p99 at ${PACED.ratePerSec}/s`,
  f.e2eP99RatioToBarePaced,
  '×',
  '(≤ 2)',
  f.e2eP99RatioToBarePaced === undefined ? undefined : f.e2eP99RatioToBarePaced <= 2,
);
row('e2e throughput', f.e2eMsgsPerSec, ' msg/s', '');
row('bare throughput', f.bareMsgsPerSec, ' msg/s', '');
row('e2e / bare throughput', f.e2eThroughputRatioToBare, '×', '≥ 0.5', f.e2eThroughputRatioToBare! >= 0.5);
peerRows(f, row, PACED);
row(
  `Cost Explorer requests (${pipeline?.messages ?? 0} events, 5 accounts)`,
  f.ceRequestsPer10kEvents5Accounts,
  '',
  'bounded by the cache window',
  f.ceRequestsPer10kEvents5Accounts !== undefined ? f.ceRequestsPerAccount! <= 6 : undefined,
);
row(
  'Slack messages for a 1,000-event burst',
  f.slackMessagesPer1kBurst,
  '',
  '≤ 10',
  f.slackMessagesPer1kBurst! <= 10 && f.burstEventsCarried === 1000,
);
row('  events carried by them', f.burstEventsCarried, '', '1,000', f.burstEventsCarried === 1000);
row(
  'largest handler bundle, no SDK',
  f.maxHandlerBundleBytes,
  ' B',
  '≤ 1,048,576',
  f.maxHandlerBundleBytes! <= 1_048_576,
);
row('largest handler bundle, with SDK', f.maxHandlerBundleBytesWithSdk, ' B', '');
row('cold import, slowest handler', f.coldImportMsMax, ' ms', '');
row('cold import, empty handler', f.emptyHandlerColdImportMs, ' ms', '');
row('cold import ratio', f.coldImportRatioToEmpty, '×', '≤ 2', f.coldImportRatioToEmpty! <= 2);
row('first invocation, bundled consumer (batch of 10)', f.firstInvocationMs, ' ms', '');
row('  later invocations, median', f.laterInvocationMsMedian, ' ms', '');
row('consumer peak RSS, bundled (batches of 10)', f.consumerPeakRssMb, ' MB', `of ${CONSUMER_MEMORY_MB} (memoryMb)`);
row(
  '  over configured memory',
  f.consumerPeakRssRatio,
  '',
  '≤ 0.6',
  f.consumerPeakRssRatio === undefined ? undefined : f.consumerPeakRssRatio <= 0.6,
);
row(
  'consumer invocation p99, bundled',
  f.consumerP99InvocationMs,
  ' ms',
  `≤ ${(CONSUMER_TIMEOUT_MS / 10).toLocaleString('en-US')} (a tenth of the timeout)`,
  f.consumerP99InvocationMs === undefined ? undefined : f.consumerP99InvocationMs <= CONSUMER_TIMEOUT_MS / 10,
);
row('consumer RSS once started, bundled', f.consumerStartedRssMb, ' MB', '');
row('consumer peak RSS, from source via tsx', f.consumerPeakRssMbFromSource, ' MB', '');
row(`lost events (fault mix, ${f.faultEvents ?? 0} events)`, f.lostEvents, '', '0', f.lostEvents === 0);
row('duplicate deliveries', f.duplicateDeliveries, '', '0', f.duplicateDeliveries === 0);
row(
  '  duplicates at Slack / email / webhook (by webhook-id)',
  f.faultSlackDuplicates,
  ` / ${f.faultEmailDuplicates} / ${f.faultWebhookDuplicates}`,
  '',
);
row(
  `crash-window duplicates (${f.faultKills ?? 0} kills)`,
  f.crashWindowDuplicates,
  '',
  '≤ records in flight at the kills',
  undefined,
);
row('  of which Slack', f.crashWindowDuplicatesSlack, '', '0', f.crashWindowDuplicatesSlack === 0);
row('  of which email', f.crashWindowDuplicatesEmail, '', '');
row(
  `race-window duplicates, no grouping (${f.raceEventsUngrouped ?? 0} events ×2 consumers)`,
  f.raceWindowDuplicatesUngrouped,
  '',
  '',
  undefined,
);
row('race duplicates with grouping', f.raceDuplicatesGrouped, '', '0', f.raceDuplicatesGrouped === 0);
row(
  'own bill, idle (example config, a month)',
  f.monthlyUsdIdle,
  ' $',
  '≤ 1.00',
  f.monthlyUsdIdle === undefined ? undefined : f.monthlyUsdIdle <= 1,
);
row(
  'own bill at 1,000 alerts a month',
  f.monthlyUsdAt1k,
  ' $',
  '≤ 1.50',
  f.monthlyUsdAt1k === undefined ? undefined : f.monthlyUsdAt1k <= 1.5,
);
row(
  'own bill at 100,000 alerts a month',
  f.monthlyUsdAt100k,
  ' $',
  '≤ 4.00',
  f.monthlyUsdAt100k === undefined ? undefined : f.monthlyUsdAt100k <= 4,
);
row('  Cost Explorer requests a month at 100,000', f.ceRequestsPerMonthAt100k, '', '≤ enrichment.maxRequestsPerMonth');
row('  DynamoDB write units per alert (all channels)', f.dynamoWritesPerAlert, '', '');
row('  SQS requests per alert (all channels)', f.sqsRequestsPerAlert, '', '');
row(`bad-input cases`, f.badInputCases, '', '', undefined);
row('bad-input failures', f.badInputFailures, '', '0', f.badInputFailures === 0);

const machine = `${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}${quick ? ', --quick' : ''}`;
const widths = [0, 1, 2, 3].map((i) =>
  Math.max(...rows.map((r) => r[i]!.length), ['figure', 'value', 'target', ''][i]!.length),
);
const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
const out = [
  `spend-alerts bench: ${machine}`,
  line(['figure', 'value', 'target', '']),
  `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
  ...rows.map(line),
];
if (bundles)
  out.push(
    '',
    `bundle contents (largest, no SDK): ${maxBundle!.topPackages.map((p) => `${p.name} ${Math.round(p.bytes / 1024)} KB`).join(', ')}`,
  );
if (badInput?.counterexample) out.push('', `bad-input counterexample: ${badInput.counterexample}`);
process.stdout.write(`${out.join('\n')}\n`);
if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
