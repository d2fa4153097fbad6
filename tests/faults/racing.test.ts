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

beforeAll(async () => {
  report = await runRacing({ events: EVENTS, groupWait: '1s' });
}, 90_000);

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
