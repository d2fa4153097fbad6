import type { SpendEvent } from '../event/schema.ts';
import type { Silence } from './silence.ts';

/** A group of events waiting to be sent together to one receiver. */
export interface GroupState {
  /** `<receiver>/<groupKey>` */
  id: string;
  receiver: string;
  /** The route's name, for display. */
  route: string;
  /** The route's path in the tree, to re-read its settings when the group is flushed. */
  routePath: string;
  groupKey: string;
  /** When the pending events are due to be sent (epoch ms); null when nothing is pending. */
  flushAt: number | null;
  /** When the group was last sent (epoch ms); null before its first send. */
  lastSentAt: number | null;
  groupInterval: number;
}

/**
 * The state noise control keeps. Every method is one conditional single-item operation (or one
 * query), so that DynamoDB (with no transactions in the local stand-in) can implement it.
 */
export interface NoiseStore {
  /** When an alert with this repeat key was last sent to the receiver (epoch ms), if ever. */
  lastSent(receiver: string, repeatKey: string): Promise<number | null>;
  markSent(receiver: string, repeatKey: string, at: number, expiresAt: number): Promise<void>;
  /** Whether the event was already delivered to the receiver (dedup). */
  wasDelivered(receiver: string, eventId: string): Promise<boolean>;
  markDelivered(receiver: string, eventId: string, at: number): Promise<void>;

  getGroup(id: string): Promise<GroupState | null>;
  /** Writes the group only when its `flushAt` is still `expectedFlushAt` (null: the group must not exist yet or be idle). */
  putGroupIf(group: GroupState, expectedFlushAt: number | null | 'absent'): Promise<boolean>;
  /** Adds an event to a group's pending members; adding the same event id twice keeps one. */
  addMember(groupId: string, event: SpendEvent): Promise<void>;
  /** The pending members of a group, oldest first. */
  members(groupId: string): Promise<SpendEvent[]>;
  removeMembers(groupId: string, eventIds: string[]): Promise<void>;
  /** Groups with a flush due at or before `now`. */
  dueGroups(now: number): Promise<GroupState[]>;

  /** Appends an event to a digest-mode receiver's buffer at the time it was received (idempotent per event id). */
  addToDigest(receiver: string, event: SpendEvent, receivedAt: number): Promise<void>;

  listSilences(): Promise<Silence[]>;
  putSilence(silence: Silence): Promise<void>;
}

/** The in-memory store: for tests, previews and a single process. */
export class MemoryNoiseStore implements NoiseStore {
  readonly sent = new Map<string, number>();
  readonly delivered = new Set<string>();
  readonly groups = new Map<string, GroupState>();
  readonly groupMembers = new Map<string, Map<string, SpendEvent>>();
  readonly digests = new Map<string, Map<string, SpendEvent>>();
  silences: Silence[] = [];

  async lastSent(receiver: string, key: string) {
    return this.sent.get(`${receiver}|${key}`) ?? null;
  }
  async markSent(receiver: string, key: string, at: number) {
    this.sent.set(`${receiver}|${key}`, at);
  }
  async wasDelivered(receiver: string, eventId: string) {
    return this.delivered.has(`${receiver}|${eventId}`);
  }
  async markDelivered(receiver: string, eventId: string) {
    this.delivered.add(`${receiver}|${eventId}`);
  }
  async getGroup(id: string) {
    const g = this.groups.get(id);
    return g ? { ...g } : null;
  }
  async putGroupIf(group: GroupState, expected: number | null | 'absent') {
    const current = this.groups.get(group.id);
    if (expected === 'absent' ? current !== undefined : current?.flushAt !== expected) return false;
    this.groups.set(group.id, { ...group });
    return true;
  }
  async addMember(groupId: string, event: SpendEvent) {
    const m = this.groupMembers.get(groupId) ?? new Map<string, SpendEvent>();
    if (!m.has(event.id)) m.set(event.id, event);
    this.groupMembers.set(groupId, m);
  }
  async members(groupId: string) {
    return [...(this.groupMembers.get(groupId)?.values() ?? [])];
  }
  async removeMembers(groupId: string, ids: string[]) {
    const m = this.groupMembers.get(groupId);
    for (const id of ids) m?.delete(id);
  }
  async dueGroups(now: number) {
    return [...this.groups.values()].filter((g) => g.flushAt !== null && g.flushAt <= now).map((g) => ({ ...g }));
  }
  async addToDigest(receiver: string, event: SpendEvent, _receivedAt: number) {
    const d = this.digests.get(receiver) ?? new Map<string, SpendEvent>();
    d.set(event.id, event);
    this.digests.set(receiver, d);
  }
  async listSilences() {
    return [...this.silences];
  }
  async putSilence(silence: Silence) {
    this.silences = [...this.silences.filter((s) => s.id !== silence.id), silence];
  }
}
