import { isRecord, type InboundMessage } from '@spend-alerts/core';

/** The message the daily Heartbeat schedule publishes to the topic, so a silent pipeline raises an alarm. */
export function heartbeatMessage(at: Date): string {
  return JSON.stringify({ spendAlerts: 'heartbeat', at: at.toISOString() });
}

export function isHeartbeat(message: InboundMessage): boolean {
  return isRecord(message.json) && message.json.spendAlerts === 'heartbeat';
}
