import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFaultMix, type FaultMixReport } from './mix.ts';

/**
 * The quick fault mix (the bench runs a long one): the three consumers as their own processes,
 * every record handed to the handler twice, Slack answering 429 (Retry-After) or 503 to 30% of
 * calls, webhook calls stalling past the timeout, answering late or 503, Cost Explorer throttling,
 * and each consumer killed with SIGKILL in the middle of a batch (at the moment its destination
 * accepted a delivery, before the consumer has the answer) and restarted.
 */
let report: FaultMixReport;
const CONSUMERS_PER_CHANNEL = 1;

beforeAll(async () => {
  report = await runFaultMix({
    events: 30,
    fixtures: true,
    consumersPerChannel: CONSUMERS_PER_CHANNEL,
    slackFaults: true,
    webhookFaults: true,
    ceThrottleRate: 0.3,
    deliverTwice: true,
    kills: { slack: [12], webhook: [15], email: [9] },
    // A killed consumer's batch comes back after 5 s instead of the deployed 180 s; backoffs after 1 s.
    sqsTime: { receiveS: 5, backoffS: 1 },
    seed: 7,
  });
}, 150_000);

afterAll(() => {
  if (!report) return;
  const { lostPairs: _lost, duplicatedSlackOrEmail: _dup, ...figures } = report;
  process.stderr.write(`fault mix: ${JSON.stringify(figures)}\n`);
});

describe('under the fault mix', () => {
  it('really injected every fault on the wire', () => {
    expect(report.kills).toBe(3);
    expect(report.slack429).toBeGreaterThan(0);
    expect(report.slack5xx).toBeGreaterThan(0);
    expect(report.webhookTimeouts).toBeGreaterThan(0);
    expect(report.webhook5xx).toBeGreaterThan(0);
    expect(report.ceThrottled).toBeGreaterThan(0);
    expect(report.conditionalCheckFailures).toBeGreaterThan(0);
  });

  it('loses no alert: every (event, receiver) pair arrived, or noise control held it back on purpose', () => {
    expect(report.lostPairs).toEqual([]);
    expect(report.deadLettered).toBe(0);
    expect(report.expectedPairs).toBe(3 * report.events);
  });

  it('never delivers a webhook twice: one webhook-id per event, however often it was sent', () => {
    expect(report.webhookDuplicates).toBe(0);
  });

  it('never repeats a Slack message, even for a delivery cut off between the send and the ledger write', () => {
    expect(report.kills).toBe(3);
    expect(report.crashWindowDuplicatesSlack).toBe(0);
    expect(report.slackDuplicates).toBe(0);
  });

  it('duplicates emails only for deliveries cut off between the send and the ledger write', () => {
    expect(report.otherSlackEmailDuplicates).toBe(0);
    // A consumer has one email between the send and its ledger write at a time: one repeat per killed process.
    const emailKills = report.killLog.filter((k) => k.channel === 'email').length;
    expect(emailKills).toBe(1);
    expect(report.crashWindowDuplicatesEmail).toBeLessThanOrEqual(emailKills * CONSUMERS_PER_CHANNEL);
  });
});
