import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Config } from '@spend-alerts/core';
import { crossings, type Crossing } from '../sim/notifications.ts';
import type { SpendModel } from '../sim/spend-model.ts';
import type { Clock } from '@spend-alerts/functions';

/** The hour of the simulated day at which AWS sends that day's notifications. */
const PUBLISH_HOUR = 6;

export interface Published {
  crossing: Crossing;
  messageId: string;
  at: Date;
}

/**
 * Walks the simulated days from `firstDay` to `lastDay` (inclusive) as the clock reaches each one,
 * publishing to the topic exactly what AWS would publish that day: budget notifications, billing
 * alarm state changes, anomaly alerts.
 */
export async function runSimulation(options: {
  config: Config;
  model: SpendModel;
  clock: Clock;
  sns: SNSClient;
  topicArn: string;
  days: string[];
  accountId: string;
  onPublish: (p: Published) => void;
  signal: AbortSignal;
}): Promise<void> {
  const { config, model, clock, sns, topicArn } = options;
  for (const day of options.days) {
    const due = Date.parse(`${day}T${String(PUBLISH_HOUR).padStart(2, '0')}:00:00Z`);
    while (clock.now().getTime() < due) {
      if (options.signal.aborted) return;
      await new Promise((r) =>
        setTimeout(r, Math.max(5, Math.min(250, clock.realDelayMs(due - clock.now().getTime())))),
      );
    }
    for (const crossing of crossings(config, model, day, { accountId: options.accountId, topicArn })) {
      if (options.signal.aborted) return;
      const out = await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: crossing.message,
          ...(crossing.subject ? { Subject: crossing.subject.slice(0, 99) } : {}),
        }),
      );
      options.onPublish({ crossing, messageId: out.MessageId ?? '', at: clock.now() });
    }
  }
}

/** The days of a month, and the 1st of the next (when alarms go back to OK). */
export function simulatedDays(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const days: string[] = [];
  for (
    let d = new Date(Date.UTC(y, m - 1, 1));
    d <= new Date(Date.UTC(y, m, 1));
    d = new Date(d.getTime() + 86_400_000)
  )
    days.push(d.toISOString().slice(0, 10));
  return days;
}
