import { beforeAll, describe, expect, it } from 'vitest';
import { runRacing, type RacingReport } from './racing.ts';

/**
 * Two consumers per channel racing on the same records (every batch handed to both at once).
 * With grouping, the DynamoDB conditional writes (group membership, the flush lease, the
 * enrichment lease) must settle every race: each alert arrives once at Slack and by email, and
 * each webhook carries one webhook-id. The bench also measures the race without grouping.
 */
const EVENTS = 25;
let report: RacingReport;
let ungrouped: RacingReport;

beforeAll(async () => {
  report = await runRacing({ events: EVENTS, groupWait: '1s' });
  ungrouped = await runRacing({ events: EVENTS, groupWait: '0s' });
}, 150_000);

describe('two consumers racing on the same records, alerts grouped', () => {
  it('really raced: DynamoDB refused conditional writes', () => {
    expect(report.conditionalCheckFailures).toBeGreaterThan(0);
  });

  it('loses nothing', () => {
    expect(report.lostPairs).toEqual([]);
    expect(report.deadLettered).toBe(0);
    expect(report.expectedPairs).toBe(3 * EVENTS);
  });

  it('delivers each alert once per destination', () => {
    expect(report.slackDuplicates).toBe(0);
    expect(report.emailDuplicates).toBe(0);
    expect(report.webhookDuplicates).toBe(0);
  });
});

describe('two consumers racing on the same records, each alert sent on its own (groupWait 0s)', () => {
  it('really raced: the second claim of a delivery was refused', () => {
    expect(ungrouped.conditionalCheckFailures).toBeGreaterThanOrEqual(3 * EVENTS);
  });

  it('loses nothing', () => {
    expect(ungrouped.lostPairs).toEqual([]);
    expect(ungrouped.deadLettered).toBe(0);
    expect(ungrouped.expectedPairs).toBe(3 * EVENTS);
  });

  it('delivers each alert once per destination: the delivery claim settles the race', () => {
    expect(ungrouped.slackDuplicates).toBe(0);
    expect(ungrouped.emailDuplicates).toBe(0);
    expect(ungrouped.webhookDuplicates).toBe(0);
  });
});
