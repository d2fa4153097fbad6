import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/spend-alerts.js');

/** Runs `spend-alerts start --once` as a user would, in a fresh folder with the example config. */
function runOnce(extra: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'sa-once-'));
  copyFileSync(join(ROOT, 'spend-alerts.config.yaml'), join(cwd, 'spend-alerts.config.yaml'));
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [BIN, 'start', '--once', '--month', '2026-06', '--month-seconds', '12', '--port', '0', ...extra],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A run that does not end by itself is a failure, reported with its output below.
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const KEYS = [
  'events',
  'deliveries',
  'digests',
  'lost',
  'duplicates',
  'dlq',
  'costExplorerRequests',
  'watchdog',
  'bill',
];

describe('npm start -- --once', () => {
  it('runs the simulated month and ends with a summary in which every channel delivered, nothing was lost and the DLQ is empty', async () => {
    const { code, stdout, stderr } = await runOnce();
    expect(code, `stderr:\n${stderr.slice(-3000)}`).not.toBeNull();
    const last = stdout.trim().split('\n').at(-1)!;
    const summary = JSON.parse(last);
    expect(Object.keys(summary)).toEqual(KEYS);
    expect(Object.keys(summary.events).sort()).toEqual([
      'alarm',
      'anomaly',
      'billing-alarm',
      'budget',
      'budget-adjustment',
      'unrecognized',
    ]);
    expect(summary.events.budget).toBeGreaterThanOrEqual(5);
    expect(summary.events['billing-alarm']).toBeGreaterThanOrEqual(3);
    expect(summary.events.anomaly).toBeGreaterThanOrEqual(1);
    expect(summary.deliveries.slack).toBeGreaterThan(0);
    expect(summary.deliveries.email).toBeGreaterThan(0);
    expect(summary.deliveries.webhook).toBeGreaterThan(0);
    expect(summary.deliveries.teams).toBeGreaterThan(0);
    expect(summary.digests.teams).toBeGreaterThan(0);
    // On failure, the run's own account of each lost pair (`lost: receiver: event (ledger: …)`).
    const losses = stderr
      .split('\n')
      .filter((l) => /lost|duplicate/.test(l))
      .join('\n');
    expect(summary, losses).toMatchObject({ lost: 0, duplicates: 0, dlq: 0 });
    expect(summary.costExplorerRequests).toBeGreaterThan(0);
    // The watchdog saw every consumer take the heartbeat, and nothing dead-lettered.
    expect(summary.watchdog).toEqual([]);
    // The month's bill: every item with its count, unit price and basis; the idle polling modelled.
    const { bill } = summary;
    expect(bill.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const item of bill.items) {
      expect(item, item.item).toMatchObject({
        count: expect.any(Number),
        unitPriceUsd: expect.any(Number),
        usd: expect.any(Number),
      });
      expect(['metered', 'modelled']).toContain(item.basis);
      expect(item.usd).toBeCloseTo(item.count * item.unitPriceUsd, 9);
    }
    const byItem = Object.fromEntries(bill.items.map((i: { item: string }) => [i.item, i]));
    expect(byItem['sqs.idlePolling']).toMatchObject({ basis: 'modelled', count: 4 * 648_000 });
    // Each Teams card is one request: the digests, and the alerts (a group is one card for many).
    expect(byItem['teams.requests'].count).toBeGreaterThan(summary.digests.teams);
    expect(byItem['teams.requests'].count).toBeLessThanOrEqual(summary.digests.teams + summary.deliveries.teams);
    expect(byItem['sns.publishes'].count).toBeGreaterThanOrEqual(summary.events.budget);
    expect(byItem['lambda.requests'].count).toBeGreaterThan(0);
    expect(byItem['dynamodb.writes'].count).toBeGreaterThan(0);
    expect(byItem['costExplorer.requests'].count).toBe(summary.costExplorerRequests);
    expect(bill.usd).toBeCloseTo(
      bill.items.reduce((n: number, i: { usd: number }) => n + i.usd, 0),
      9,
    );
    expect(code, stderr.slice(-2000)).toBe(0);
    // One line per delivery before the summary.
    expect(stdout).toMatch(/slack +finops-slack ← Budget "monthly-total"/);
    expect(stdout).toMatch(/teams +platform-teams ← /);
  }, 120_000);

  it('exits 1 and counts the loss when one delivery is dropped on purpose', async () => {
    const { code, stdout, stderr } = await runOnce(['--fault-drop-one']);
    expect(code, `stderr:\n${stderr.slice(-3000)}`).not.toBeNull();
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
    // The dropped message may have carried a group of events: each counts.
    expect(summary.lost).toBeGreaterThanOrEqual(1);
    expect(stderr).toMatch(/lost: finops-slack: evt_[0-9a-f]{32}/);
    expect(code).toBe(1);
  }, 120_000);
});
