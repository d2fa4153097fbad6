/**
 * Traffic for the bench and the fault suites: real message shapes (what CloudWatch and Budgets
 * publish, as the simulated account builds them), each a distinct alert, spread over accounts.
 */
import { readInput } from '@spend-alerts/core';
import { billingAlarmMessage } from '@spend-alerts/local/sim/alarm-message.ts';
import { BENCH_NOW } from './topology.ts';

/** Five accounts: the simulated payer, the example config's three, and one more. */
export const BENCH_ACCOUNTS = ['999999999999', '111111111111', '222222222222', '333333333333', '444444444444'] as const;

/**
 * `n` billing alarms going into ALARM, each its own alarm (so neither dedup nor repeatInterval
 * holds one back), round-robin over `accounts`, all on the bench's simulated day.
 */
export function billingAlarms(n: number, accounts: readonly string[] = BENCH_ACCOUNTS, prefix = 'bench'): string[] {
  const day = BENCH_NOW.slice(0, 10);
  return Array.from({ length: n }, (_, i) => {
    const ms = i % 1000;
    const s = Math.floor(i / 1000) % 60;
    const time = `06:${String(Math.floor(i / 60_000) % 60).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms).padStart(3, '0')}`;
    return billingAlarmMessage(
      { name: `${prefix}-charges-${i}`, threshold: 1000 + (i % 50) * 10 },
      'ALARM',
      day,
      123_456 + i,
      { accountId: accounts[i % accounts.length], time },
    ).message;
  });
}

/** The event id each message normalizes to (what destinations and the ledger carry). */
export function eventIdsOf(messages: string[]): string[] {
  return messages.map((m) => readInput(m).events[0]!.id);
}
