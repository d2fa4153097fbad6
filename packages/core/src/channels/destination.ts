import { createHash } from 'node:crypto';
import type { Receiver } from '../config/schema.ts';

/**
 * Where a receiver delivers, named without secrets: `slack:#finops`, `email:a@x,b@y`,
 * `webhook:3f2a…` (a hash of the URL, which may carry a token) or `webhook:secret:<name>`.
 */
export function destinationOf(receiver: Receiver): string {
  switch (receiver.type) {
    case 'slack':
      return `slack:${receiver.channel}`;
    case 'email':
      return `email:${[...receiver.to].sort().join(',')}`;
    case 'webhook':
      return receiver.url
        ? `webhook:${createHash('sha256').update(receiver.url).digest('hex').slice(0, 16)}`
        : `webhook:secret:${receiver.urlSecret}`;
  }
}

/**
 * The ledger's name for (receiver, destination): the unit that receives an event once. A receiver
 * pointed at a new destination receives again.
 */
export function deliveryTarget(receiver: Receiver): string {
  return `${receiver.name}#${destinationOf(receiver)}`;
}
