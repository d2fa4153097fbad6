import type { Receiver } from '../config/schema.ts';
import type { Enrichment } from '../enrich/types.ts';
import type { SpendEvent } from '../event/schema.ts';
import type { AccountDirectory } from '../routing/labels.ts';

/** An event with the cost context found for it, or null when enrichment was off or failed. */
export interface EnrichedEvent {
  event: SpendEvent;
  enrichment: Enrichment | null;
}

/**
 * What one receiver is sent at once: one event, or a group that noise control gathered.
 * Renderers turn it into the channel's message; adapters deliver that.
 */
export interface Notification<R extends Receiver = Receiver> {
  /** One or more events, oldest first. */
  events: EnrichedEvent[];
  receiver: R;
  /** The name or path of the route that chose the receiver. */
  route: string;
  /** The group the events belong to (`{}` rendered from the route's groupBy labels). */
  groupKey: string;
}

/** What renderers may know beyond the notification itself. */
export interface RenderContext {
  accounts?: AccountDirectory;
  /** The time of sending, for webhook timestamps; injected for tests. */
  now?: Date;
}
