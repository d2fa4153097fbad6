import { unwrap, type ControlMessage } from './envelope/unwrap.ts';
import type { SpendEvent } from './event/schema.ts';
import { normalize, type NormalizeOptions } from './normalize/index.ts';

export interface ReadResult {
  events: SpendEvent[];
  /** SNS subscription control messages: reported, never alerts. */
  controls: ControlMessage[];
}

/**
 * Unwraps any input (bare message, SNS envelope, Lambda SQS/SNS event, EventBridge event) and
 * normalizes every message inside it.
 * @example readInput(fs.readFileSync('budget.txt', 'utf8')).events[0].kind // 'budget'
 */
export function readInput(input: string | unknown, options: NormalizeOptions = {}): ReadResult {
  const result: ReadResult = { events: [], controls: [] };
  for (const item of unwrap(input)) {
    if (item.type === 'control') result.controls.push(item);
    else result.events.push(normalize(item, options));
  }
  return result;
}
