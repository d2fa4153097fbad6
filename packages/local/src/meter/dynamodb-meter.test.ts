import { describe, expect, it } from 'vitest';
import { DynamoMeter, readKeyCondition } from './dynamodb-meter.ts';

const T = 'Ledger';
/** An item of exactly `bytes` bytes: pk and sk as given, padded with a string attribute `v`. */
function item(pk: string, sk: string, bytes: number) {
  const base = 2 + pk.length + 2 + sk.length + 1;
  return { pk: { S: pk }, sk: { S: sk }, v: { S: 'x'.repeat(bytes - base) } };
}
const key = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } });

describe('DynamoMeter', () => {
  it('bills a replacing put by the larger of the old and new item, and a failed condition by the old one', () => {
    const m = new DynamoMeter();
    expect(m.units('PutItem', { TableName: T, Item: item('A', '1', 3000) }, {}, true)).toEqual({ read: 0, write: 3 });
    expect(m.units('PutItem', { TableName: T, Item: item('A', '1', 500) }, {}, true)).toEqual({ read: 0, write: 3 });
    expect(m.units('PutItem', { TableName: T, Item: item('A', '1', 900) }, {}, true)).toEqual({ read: 0, write: 1 });
    // ConditionalCheckFailed: nothing written, the existing item's size billed
    expect(m.units('PutItem', { TableName: T, Item: item('A', '1', 5000) }, {}, false)).toEqual({ read: 0, write: 1 });
    expect(m.storedBytes()).toBe(900 + 100);
  });

  it('bills a delete by the item it removes', () => {
    const m = new DynamoMeter();
    m.units('PutItem', { TableName: T, Item: item('A', '1', 2100) }, {}, true);
    expect(m.units('DeleteItem', { TableName: T, Key: key('A', '1') }, {}, true)).toEqual({ read: 0, write: 3 });
    expect(m.units('DeleteItem', { TableName: T, Key: key('A', '1') }, {}, true)).toEqual({ read: 0, write: 1 });
    expect(m.storedBytes()).toBe(0);
  });

  it('adds up what a Query reads before its filter and rounds once; BatchGetItem rounds each item', () => {
    const m = new DynamoMeter();
    for (const sk of ['1', '2', '3']) m.units('PutItem', { TableName: T, Item: item('G', sk, 1500) }, {}, true);
    m.units('PutItem', { TableName: T, Item: item('H', '1', 4000) }, {}, true);
    const query = {
      TableName: T,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'G' } },
      ConsistentRead: true,
      FilterExpression: 'x = :y',
    };
    expect(m.units('Query', query, {}, true)).toEqual({ read: 2, write: 0 }); // 4,500 bytes → 2
    const batch = {
      RequestItems: {
        [T]: { Keys: [key('G', '1'), key('G', '2'), key('G', '3'), key('G', '9')], ConsistentRead: true },
      },
    };
    expect(m.units('BatchGetItem', batch, {}, true)).toEqual({ read: 4, write: 0 }); // each item 1, the missing one 1
    const unprocessed = { UnprocessedKeys: { [T]: { Keys: [key('G', '9')] } } };
    expect(m.units('BatchGetItem', batch, unprocessed, true)).toEqual({ read: 3, write: 0 });
  });

  it('bills a GetItem by what it found, the minimum when nothing, half when eventually consistent', () => {
    const m = new DynamoMeter();
    const found = { Item: item('A', '1', 5000) };
    expect(m.units('GetItem', { TableName: T, Key: key('A', '1'), ConsistentRead: true }, found, true).read).toBe(2);
    expect(m.units('GetItem', { TableName: T, Key: key('A', '1') }, found, true).read).toBe(1);
    expect(m.units('GetItem', { TableName: T, Key: key('B', '1'), ConsistentRead: true }, {}, true).read).toBe(1);
  });

  it('bills each item of a BatchWriteItem as its own write', () => {
    const m = new DynamoMeter();
    m.units('PutItem', { TableName: T, Item: item('A', '1', 1500) }, {}, true);
    const batch = {
      RequestItems: {
        [T]: [
          { PutRequest: { Item: item('A', '2', 100) } },
          { PutRequest: { Item: item('A', '3', 2500) } },
          { DeleteRequest: { Key: key('A', '1') } },
        ],
      },
    };
    expect(m.units('BatchWriteItem', batch, {}, true)).toEqual({ read: 0, write: 1 + 3 + 2 });
  });

  it('bills an UpdateItem by the larger of the item before and after', () => {
    const m = new DynamoMeter();
    m.units('PutItem', { TableName: T, Item: item('A', '1', 200) }, {}, true);
    const after = { Attributes: item('A', '1', 2048) };
    expect(m.units('UpdateItem', { TableName: T, Key: key('A', '1') }, after, true)).toEqual({ read: 0, write: 2 });
  });
});

describe('readKeyCondition', () => {
  const values = { ':p': { S: 'P' }, ':a': { S: 'b' }, ':z': { S: 'd' } };
  const test = (expression: string, names = {}) =>
    readKeyCondition({
      KeyConditionExpression: expression,
      ExpressionAttributeValues: values,
      ExpressionAttributeNames: names,
    });
  it.each([
    ['pk = :p', ['a', 'c', 'e']],
    ['pk = :p AND sk BETWEEN :a AND :z', ['c']],
    ['pk = :p AND sk < :z', ['a', 'c']],
    ['pk = :p AND sk >= :z', ['e']],
    ['#k = :p AND begins_with(sk, :a)', []],
  ])('%s', (expression, matching) => {
    const c = test(expression, { '#k': 'pk' })!;
    expect(c.pk).toBe('P');
    expect(['a', 'c', 'e'].filter(c.sk)).toEqual(matching);
  });
});
