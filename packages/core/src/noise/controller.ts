import type { Config } from '../config/schema.ts';
import type { SpendEvent } from '../event/schema.ts';
import { eventLabels, type AccountDirectory } from '../routing/labels.ts';
import { directoryOf, type RouteMatch } from '../routing/route.ts';
import { deliveryTarget } from '../channels/destination.ts';
import { isDigestReceiver } from '../channels/registry.ts';
import { groupKey, repeatKey } from './keys.ts';
import { isMuted } from './mute.ts';
import { silencing } from './silence.ts';
import type { Silence } from './silence.ts';
import type { GroupState, NoiseStore } from './store.ts';

/** What noise control decided for one event at one receiver. */
export type Admission =
  | { action: 'drop'; reason: 'duplicate' | 'silenced' | 'muted' | 'repeat' | 'resolved-not-sent'; detail: string }
  | { action: 'digest' }
  | { action: 'send'; events: SpendEvent[]; groupKey: string }
  /** `scheduled` is true for the one call that set the flush time: it alone schedules the flush. */
  | { action: 'grouped'; groupId: string; groupKey: string; flushAt: number; scheduled: boolean };

/** A group whose wait is over: its events go out as one notification. */
export interface DueGroup {
  group: GroupState;
  events: SpendEvent[];
}

export interface NoiseControllerOptions {
  /**
   * The caller claims each delivery before sending (as the consumers do, see `DeliveryLedger.claimDelivery`),
   * which also finds events already delivered: the dedup read is then made only for events that are
   * grouped or buffered, not for those sent at once.
   */
  dedupAtDelivery?: boolean;
  /** Read the silences once for this controller's life (the consumers make one per batch of records). */
  cacheSilences?: boolean;
  /** Where repeat marks are read instead of the store (the consumers read a batch's marks together). */
  lastSent?: (receiver: string, repeatKey: string) => Promise<number | null>;
}

/**
 * Noise control between routing and delivery: dedup by event id, silences, mute time windows,
 * resolved notices, `repeatInterval`, and grouping (`groupBy`, `groupWait`, `groupInterval`) that
 * turns a burst into one message per group and receiver. The clock is a parameter.
 */
export class NoiseController {
  private readonly accounts: AccountDirectory;
  private silences: Promise<Silence[]> | undefined;

  constructor(
    private readonly config: Config,
    private readonly store: NoiseStore,
    accounts?: AccountDirectory,
    private readonly options: NoiseControllerOptions = {},
  ) {
    this.accounts = accounts ?? directoryOf(config);
  }

  private listSilences(): Promise<Silence[]> {
    if (!this.options.cacheSilences) return this.store.listSilences();
    this.silences ??= this.store.listSilences().catch((error: unknown) => {
      this.silences = undefined;
      throw error;
    });
    return this.silences;
  }

  private async duplicate(receiver: string, event: SpendEvent): Promise<Admission | null> {
    return (await this.store.wasDelivered(receiver, event.id))
      ? { action: 'drop', reason: 'duplicate', detail: `${event.id} already sent to ${receiver}` }
      : null;
  }

  /** Decides what happens to an event that routing sent to a receiver. */
  async admit(event: SpendEvent, match: RouteMatch, now: Date): Promise<Admission> {
    const receiver = deliveryTarget(match.receiver);
    const settings = match.settings;
    const labels = eventLabels(event, this.accounts);
    const early = this.options.dedupAtDelivery ? null : await this.duplicate(receiver, event);
    if (early) return early;
    const silence = silencing(await this.listSilences(), labels, now);
    if (silence)
      return {
        action: 'drop',
        reason: 'silenced',
        detail: `silence ${silence.id} by ${silence.createdBy}: ${silence.comment}`,
      };
    const window = this.config.muteTimeWindows.find(
      (w) => settings.muteTimeWindows.includes(w.name) && isMuted(w, now),
    );
    if (window) return { action: 'drop', reason: 'muted', detail: `mute time window ${window.name}` };
    if (event.status === 'resolved' && !settings.sendResolved)
      return { action: 'drop', reason: 'resolved-not-sent', detail: 'sendResolved is false' };
    const last = await (this.options.lastSent ?? this.store.lastSent.bind(this.store))(receiver, repeatKey(event));
    if (last !== null && now.getTime() - last < settings.repeatInterval) {
      return {
        action: 'drop',
        reason: 'repeat',
        detail: `same alert sent ${Math.round((now.getTime() - last) / 1000)}s ago; repeatInterval is ${settings.repeatInterval / 1000}s`,
      };
    }
    const digest = isDigestReceiver(match.receiver);
    const key = groupKey(settings.groupBy, labels);
    if (settings.groupWait === 0 && !digest) return { action: 'send', events: [event], groupKey: key };
    const late = this.options.dedupAtDelivery ? await this.duplicate(receiver, event) : null;
    if (late) return late;
    if (digest) {
      await this.store.addToDigest(match.receiver.name, event, now.getTime());
      return { action: 'digest' };
    }
    return this.addToGroup(event, match, key, now.getTime());
  }

  private async addToGroup(event: SpendEvent, match: RouteMatch, key: string, now: number): Promise<Admission> {
    const id = `${match.receiver.name}/${key}`;
    await this.store.addMember(id, event);
    // Set the flush time once per pending batch; the conditional write settles races between consumers.
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.store.getGroup(id);
      if (current?.flushAt != null)
        return { action: 'grouped', groupId: id, groupKey: key, flushAt: current.flushAt, scheduled: false };
      const flushAt =
        current?.lastSentAt != null
          ? Math.max(now, current.lastSentAt + match.settings.groupInterval)
          : now + match.settings.groupWait;
      const next: GroupState = {
        id,
        receiver: match.receiver.name,
        route: match.route,
        routePath: match.path,
        groupKey: key,
        flushAt,
        lastSentAt: current?.lastSentAt ?? null,
        groupInterval: match.settings.groupInterval,
      };
      if (await this.store.putGroupIf(next, current ? null : 'absent'))
        return { action: 'grouped', groupId: id, groupKey: key, flushAt, scheduled: true };
    }
    throw new Error(`group ${id}: could not schedule a flush after 5 conflicting writes`);
  }

  /**
   * Takes every group whose wait is over, with its pending events. Taking is a lease: the group's
   * flush moves `leaseMs` ahead, so a consumer that dies before `complete` leaves the events to
   * the next one instead of losing them; a second caller meanwhile finds nothing due.
   */
  async due(now: Date, leaseMs = DEFAULT_LEASE_MS): Promise<DueGroup[]> {
    const out: DueGroup[] = [];
    for (const group of await this.store.dueGroups(now.getTime())) {
      const taken = await this.take(group, now.getTime(), leaseMs);
      if (taken) out.push(taken);
    }
    return out;
  }

  /** Takes one group if its flush is due (see `due`). */
  async take(group: GroupState, now: number, leaseMs = DEFAULT_LEASE_MS): Promise<DueGroup | null> {
    if (group.flushAt === null || group.flushAt > now) return null;
    const leased: GroupState = { ...group, flushAt: now + leaseMs };
    if (!(await this.store.putGroupIf(leased, group.flushAt))) return null; // another consumer took it
    const events = await this.store.members(group.id);
    if (events.length === 0) {
      await this.store.putGroupIf({ ...leased, flushAt: null }, leased.flushAt);
      return null;
    }
    return { group: leased, events };
  }

  /**
   * After a group's events were delivered: records them as sent, removes them from the group, and
   * schedules the next flush, `groupInterval` after this one, when more events arrived meanwhile.
   */
  async complete(taken: DueGroup, target: string, repeatInterval: number, now: Date): Promise<void> {
    await this.sent(target, taken.events, repeatInterval, now);
    await this.release(taken, now);
  }

  /**
   * `complete` without recording the sends, for a caller that recorded them with the delivery: removes
   * the events from the group and schedules the next flush when more arrived meanwhile.
   */
  async release(taken: DueGroup, now: Date): Promise<void> {
    await this.store.removeMembers(
      taken.group.id,
      taken.events.map((e) => e.id),
    );
    const remaining = await this.store.members(taken.group.id);
    const flushAt = remaining.length ? now.getTime() + taken.group.groupInterval : null;
    await this.store.putGroupIf({ ...taken.group, flushAt, lastSentAt: now.getTime() }, taken.group.flushAt);
  }

  /**
   * Records a successful delivery: dedup and repeat state for every event sent. `target` is the
   * receiver's `deliveryTarget`.
   */
  async sent(target: string, events: SpendEvent[], repeatInterval: number, now: Date): Promise<void> {
    for (const event of events) {
      await this.store.markDelivered(target, event.id, now.getTime());
      await this.store.markSent(target, repeatKey(event), now.getTime(), now.getTime() + repeatInterval);
    }
  }
}

/** How long a taken group stays leased to the consumer delivering it. */
export const DEFAULT_LEASE_MS = 5 * 60_000;
