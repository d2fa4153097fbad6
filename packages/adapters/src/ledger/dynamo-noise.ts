import { SilenceSchema, type GroupState, type NoiseStore, type Silence, type SpendEvent } from '@spend-alerts/core';
import { epochSeconds, N, num, S, str, type Item } from './items.ts';
import type { DeliveryLedger } from './roles.ts';
import { boundedKey, DAY, KEYS, packEvent, repeatItem, unpackEvent } from './stored.ts';
import type { LedgerTable } from './table.ts';

/**
 * Noise control's state in the table: repeat marks (`REPEAT#<target>`), groups (`GROUPS`) and their
 * members (`GROUP#<id>`, events gzipped), the digest buffer (`DIGEST#<receiver>`) and silences
 * (`SILENCES`). Whether an event was delivered is the delivery ledger's answer.
 */
export class DynamoNoiseStore implements NoiseStore {
  constructor(
    readonly table: LedgerTable,
    private readonly deliveries: Pick<DeliveryLedger, 'getDelivery' | 'recordDelivered'>,
  ) {}

  async wasDelivered(target: string, eventId: string): Promise<boolean> {
    return (await this.deliveries.getDelivery(eventId, target))?.status === 'delivered';
  }

  async markDelivered(target: string, eventId: string): Promise<void> {
    if (!(await this.wasDelivered(target, eventId))) await this.deliveries.recordDelivered(eventId, target, null);
  }

  async lastSent(target: string, repeatKey: string): Promise<number | null> {
    return num(await this.table.get(KEYS.repeat(target), boundedKey(repeatKey)), 'at');
  }

  async markSent(target: string, repeatKey: string, at: number, expiresAt: number): Promise<void> {
    await this.table.put(repeatItem(target, { repeatKey, at, expiresAt }));
  }

  async getGroup(id: string): Promise<GroupState | null> {
    const item = await this.table.get(KEYS.groups, boundedKey(id));
    return item ? toGroup(item) : null;
  }

  async putGroupIf(group: GroupState, expected: number | null | 'absent'): Promise<boolean> {
    const item: Item = {
      pk: S(KEYS.groups),
      sk: S(boundedKey(group.id)),
      receiver: S(group.receiver),
      route: S(group.route),
      routePath: S(group.routePath),
      groupKey: S(group.groupKey),
      groupInterval: N(group.groupInterval),
      expiresAt: N(epochSeconds(this.table.now() + 30 * DAY)),
    };
    if (group.flushAt !== null) item.flushAt = N(group.flushAt);
    if (group.lastSentAt !== null) item.lastSentAt = N(group.lastSentAt);
    return this.table.putIf(
      item,
      expected === 'absent'
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : expected === null
          ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(flushAt)' }
          : { ConditionExpression: 'flushAt = :expected', ExpressionAttributeValues: { ':expected': N(expected) } },
    );
  }

  /** Adding twice keeps one: the second conditional write fails. */
  async addMember(groupId: string, event: SpendEvent): Promise<void> {
    await this.table.putIf(
      {
        pk: S(KEYS.group(groupId)),
        sk: S(`MEMBER#${event.occurredAt}#${event.id}`),
        eventId: S(event.id),
        event: packEvent(event),
        expiresAt: N(epochSeconds(this.table.now() + 30 * DAY)),
      },
      { ConditionExpression: 'attribute_not_exists(pk)' },
    );
  }

  async members(groupId: string): Promise<SpendEvent[]> {
    return (await this.memberItems(groupId)).map((i) => unpackEvent(i));
  }

  async removeMembers(groupId: string, eventIds: string[]): Promise<void> {
    const ids = new Set(eventIds);
    for (const item of await this.memberItems(groupId)) {
      if (ids.has(str(item, 'eventId') ?? '')) await this.table.delete(KEYS.group(groupId), str(item, 'sk')!);
    }
  }

  async dueGroups(now: number): Promise<GroupState[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'flushAt <= :now',
      ExpressionAttributeValues: { ':pk': S(KEYS.groups), ':now': N(now) },
    });
    return items.map(toGroup);
  }

  /**
   * Keyed by the time the pipeline received it: a digest period covers the alerts received in it.
   * A redelivered event keeps its first entry: a marker per event (kept as long as the entries)
   * says it is buffered, written after the entry, so a crash between the two leaves at worst a
   * second entry (the digest keeps one) and never none. One write each, no read of the buffer.
   */
  async addToDigest(receiver: string, event: SpendEvent, receivedAt: number): Promise<void> {
    const key = `${new Date(receivedAt).toISOString()}#${event.id}`;
    const expiresAt = N(epochSeconds(this.table.now() + 45 * DAY));
    await this.table.put({
      pk: S(KEYS.digest(receiver)),
      sk: S(key),
      eventId: S(event.id),
      event: packEvent(event),
      expiresAt,
    });
    const marked = await this.table.putIf(
      { pk: S(KEYS.digested(receiver)), sk: S(boundedKey(event.id)), entry: S(key), expiresAt },
      {
        ConditionExpression: 'attribute_not_exists(pk) OR entry = :entry',
        ExpressionAttributeValues: { ':entry': S(key) },
      },
    );
    // Buffered before (or already sent): keep that one.
    if (!marked) await this.table.delete(KEYS.digest(receiver), key);
  }

  async listSilences(): Promise<Silence[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': S(KEYS.silences) },
    });
    return items.flatMap((i) => {
      const parsed = SilenceSchema.safeParse(JSON.parse(str(i, 'silence') ?? 'null'));
      return parsed.success ? [parsed.data] : [];
    });
  }

  async putSilence(silence: Silence): Promise<void> {
    await this.table.put({
      pk: S(KEYS.silences),
      sk: S(silence.id),
      silence: S(JSON.stringify(silence)),
      expiresAt: N(epochSeconds(Date.parse(silence.endsAt) + 30 * DAY)),
    });
  }

  private memberItems(groupId: string): Promise<Item[]> {
    return this.table.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': S(KEYS.group(groupId)) },
    });
  }
}

function toGroup(item: Item): GroupState {
  return {
    id: str(item, 'sk') ?? '',
    receiver: str(item, 'receiver') ?? '',
    route: str(item, 'route') ?? '',
    routePath: str(item, 'routePath') ?? 'route',
    groupKey: str(item, 'groupKey') ?? '',
    flushAt: num(item, 'flushAt'),
    lastSentAt: num(item, 'lastSentAt'),
    groupInterval: num(item, 'groupInterval') ?? 0,
  };
}
