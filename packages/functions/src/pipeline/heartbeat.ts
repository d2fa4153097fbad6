import { isRecord, type InboundMessage } from '@spend-alerts/core';

/** The message the watchdog publishes to the topic once a day: every consumer must see it, or the watchdog says so. */
export function heartbeatMessage(at: Date): string {
  return JSON.stringify({ spendAlerts: 'heartbeat', at: at.toISOString() });
}

export function isHeartbeat(message: InboundMessage): boolean {
  return isRecord(message.json) && message.json.spendAlerts === 'heartbeat';
}

/** Whether a message's text is the heartbeat (as the topic carries it, before any envelope). */
export function isHeartbeatText(text: string): boolean {
  if (!text.startsWith('{"spendAlerts"')) return false;
  try {
    return (JSON.parse(text) as { spendAlerts?: unknown }).spendAlerts === 'heartbeat';
  } catch {
    return false;
  }
}

/** When a heartbeat was published (null when it does not say). */
export function heartbeatTime(message: InboundMessage): string | null {
  const at = isRecord(message.json) ? message.json.at : null;
  return typeof at === 'string' && Number.isFinite(Date.parse(at)) ? at : null;
}
