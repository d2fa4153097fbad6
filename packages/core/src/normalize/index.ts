import type { InboundMessage } from '../envelope/unwrap.ts';
import { NormalizeError } from '../errors.ts';
import type { SpendEvent } from '../event/schema.ts';
import { normalizeAnomaly, looksLikeAnomaly } from './anomaly.ts';
import { looksLikeBudgetAdjustment, normalizeBudgetAdjustment } from './budget-adjustment.ts';
import { looksLikeBudgetText, normalizeBudgetNotification } from './budget-text.ts';
import {
  looksLikeCloudWatchAlarm,
  looksLikeEventBridgeAlarm,
  normalizeCloudWatchAlarm,
  normalizeEventBridgeAlarm,
} from './cloudwatch-alarm.ts';
import type { NormalizeOptions } from './common.ts';
import { normalizeUnrecognized, resemblance } from './unrecognized.ts';

export type { NormalizeOptions } from './common.ts';

interface SourceNormalizer {
  source: string;
  matches(message: InboundMessage): boolean;
  normalize(message: InboundMessage, options: NormalizeOptions): SpendEvent;
}

/** One normalizer per source; the first whose signature matches reads the message. */
export const NORMALIZERS: readonly SourceNormalizer[] = [
  { source: 'cloudwatch-alarm', matches: looksLikeCloudWatchAlarm, normalize: normalizeCloudWatchAlarm },
  { source: 'cloudwatch-alarm-eventbridge', matches: looksLikeEventBridgeAlarm, normalize: normalizeEventBridgeAlarm },
  { source: 'cost-anomaly-detection', matches: looksLikeAnomaly, normalize: normalizeAnomaly },
  { source: 'budget-adjustment', matches: looksLikeBudgetAdjustment, normalize: normalizeBudgetAdjustment },
  { source: 'budgets-text', matches: looksLikeBudgetText, normalize: normalizeBudgetNotification },
];

/**
 * Turns one unwrapped message into the canonical event. Never throws: a message no normalizer
 * reads, or one that resembles a known format but is broken, becomes `unrecognized` with its
 * text and a diagnostic.
 */
export function normalize(message: InboundMessage, options: NormalizeOptions = {}): SpendEvent {
  if (message.jsonError) {
    return normalizeUnrecognized(message, options, [`message is not valid JSON: ${message.jsonError}`]);
  }
  const normalizer = NORMALIZERS.find((n) => n.matches(message));
  if (!normalizer) return normalizeUnrecognized(message, options, []);
  try {
    return normalizer.normalize(message, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const resembles = error instanceof NormalizeError ? error.resembles : resemblance(message.raw);
    return normalizeUnrecognized(message, options, [`${normalizer.source}: ${reason}`], resembles);
  }
}
