import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import { memoryIo } from '../testing.ts';

function tempDir(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'sa-cost-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A small config: one Slack receiver and one budget the simulated account crosses. */
const CONFIG = `
slack: { tokenSecret: SlackBotToken }
enrichment: { cacheTtl: 12h, maxRequestsPerMonth: 20 }
budgets:
  - name: monthly-total
    limit: 1000
    notifications: [{ type: ACTUAL, thresholdPercent: 50 }, { type: ACTUAL, thresholdPercent: 80 }]
receivers:
  - { name: ops, type: slack, channel: "#ops" }
route: { receiver: ops, groupWait: 0s }
`;

interface JsonBill {
  usd: number;
  items: Array<{ item: string; count: number; usd: number; basis: string }>;
  listedApart: Array<{ item: string; count: number }>;
}

describe('spend-alerts cost', () => {
  it("prints a config's monthly bill, idle and at N alerts, measured on the local pipeline", async () => {
    const dir = tempDir({ 'spend-alerts.config.yaml': CONFIG });
    const io = memoryIo('', dir);
    const code = await main(['cost', '--alerts-per-month', '1000', '--json', '--month-seconds', '4'], io);
    expect(io.err).not.toMatch(/error/i);
    expect(code).toBe(0);
    const out = JSON.parse(io.out) as {
      sampleAlerts: number;
      bills: Array<{ alertsPerMonth: number; bill: JsonBill }>;
    };
    expect(out.sampleAlerts).toBeGreaterThan(0);
    expect(out.bills.map((b) => b.alertsPerMonth)).toEqual([0, 1000]);
    const [idle, busy] = out.bills.map((b) => b.bill) as [JsonBill, JsonBill];
    const count = (bill: JsonBill, item: string) => bill.items.find((i) => i.item === item)!.count;
    // The queues' polling, whatever the alerts; every alert a publish and a Slack call.
    expect(count(idle, 'sqs.idlePolling')).toBe(count(busy, 'sqs.idlePolling'));
    // (the sample's own operations notices, a few, are spread over its alerts)
    const publishes = count(busy, 'sns.publishes') - count(idle, 'sns.publishes');
    expect(publishes).toBeGreaterThan(990);
    expect(publishes).toBeLessThan(1100);
    expect(count(busy, 'slack.calls')).toBeGreaterThanOrEqual(1000);
    expect(count(busy, 'dynamodb.writes')).toBeGreaterThan(count(idle, 'dynamodb.writes'));
    // Cost Explorer: modelled from the refresh windows, never past the config's budget.
    expect(count(busy, 'costExplorer.requests')).toBeGreaterThan(0);
    expect(count(busy, 'costExplorer.requests')).toBeLessThanOrEqual(20);
    expect(busy.usd).toBeGreaterThan(idle.usd);
    expect(busy.usd).toBeCloseTo(
      busy.items.reduce((n, i) => n + i.usd, 0),
      9,
    );
    expect(busy.listedApart.find((i) => i.item === 'user.budgets')?.count).toBe(1);
  }, 120_000);

  it('exits 1 on an invalid config, before anything runs', async () => {
    const dir = tempDir({
      'bad.yaml': 'receivers:\n  - { name: ops, type: slack, channel: "#ops" }\nroute: { receiver: opz }\n',
    });
    const io = memoryIo('', dir);
    expect(await main(['cost', '--config', 'bad.yaml'], io)).toBe(1);
    expect(io.err).toContain('route.receiver: unknown receiver "opz" (known: ops)');
    expect(io.out).toBe('');
  });

  it('refuses an alert count that is not a whole number', async () => {
    const dir = tempDir({ 'spend-alerts.config.yaml': CONFIG });
    const io = memoryIo('', dir);
    expect(await main(['cost', '--alerts-per-month', '1e3,-5'], io)).not.toBe(0);
    expect(io.err).toContain('--alerts-per-month takes whole numbers, not "1e3,-5"');
  });
});
