import type { Receiver } from '../config/schema.ts';
import { channelOf } from './registry.ts';

/**
 * Where a receiver delivers, named without secrets: `slack:#finops`, `email:a@x,b@y`,
 * `webhook:3f2a…` (a hash of the URL, which may carry a token), `webhook:secret:<name>` or
 * `teams:secret:<name>`.
 */
export function destinationOf(receiver: Receiver): string {
  return channelOf(receiver).destination(receiver);
}

/**
 * The ledger's name for (receiver, destination): the unit that receives an event once. A receiver
 * pointed at a new destination receives again.
 */
export function deliveryTarget(receiver: Receiver): string {
  return `${receiver.name}#${destinationOf(receiver)}`;
}
