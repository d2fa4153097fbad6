/**
 * The pipeline's own bill for the example config, as `spend-alerts cost` prints it: the local
 * pipeline metered over a month without alerts, a month of the simulated account's alerts and a
 * busy stretch at 100,000 alerts a month (packages/local/src/meter/estimate.ts), priced at list.
 */
import { fileURLToPath } from 'node:url';
import type { Bill } from '@spend-alerts/local/meter/bill.ts';
import { estimateMonthlyBill } from '@spend-alerts/local/meter/estimate.ts';
import { progress } from './lib/stats.ts';

const CONFIG = fileURLToPath(new URL('../spend-alerts.config.yaml', import.meta.url));

export interface CostResult {
  monthlyUsdIdle: number;
  monthlyUsdAt1k: number;
  monthlyUsdAt100k: number;
  ceRequestsPerMonthAt100k: number;
  /** DynamoDB write units one alert adds, over every channel it reaches (at 100,000 a month). */
  dynamoWritesPerAlert: number;
  /** SQS requests one alert adds: the topic's deliveries to the channel queues, receives, deletes. */
  sqsRequestsPerAlert: number;
  /** Alerts in the metered sample month. */
  sampleAlerts: number;
}

const count = (bill: Bill, item: string) => bill.items.find((i) => i.item === item)?.count ?? 0;

export async function runCost(): Promise<CostResult> {
  const estimate = await estimateMonthlyBill({
    configPath: CONFIG,
    alertsPerMonth: [1000, 100_000],
    onProgress: (step) => progress(`cost: ${step}`),
  });
  const [idle, at1k, at100k] = estimate.bills.map((b) => b.bill) as [Bill, Bill, Bill];
  const added = (item: string) => (count(at100k, item) - count(idle, item)) / 100_000;
  return {
    monthlyUsdIdle: idle.usd,
    monthlyUsdAt1k: at1k.usd,
    monthlyUsdAt100k: at100k.usd,
    ceRequestsPerMonthAt100k: count(at100k, 'costExplorer.requests'),
    dynamoWritesPerAlert: added('dynamodb.writes'),
    sqsRequestsPerAlert: added('sqs.requests') + added('sqs.snsDeliveries'),
    sampleAlerts: estimate.sample.alerts,
  };
}
