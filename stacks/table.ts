import { spec } from './spec.ts';

/** The delivery ledger, digest buffer and noise-control state: one on-demand table whose items expire by TTL. */
export function createLedgerTable() {
  return new sst.aws.Dynamo(spec.table.name, {
    fields: { [spec.table.partitionKey]: 'string', [spec.table.sortKey]: 'string' },
    primaryIndex: { hashKey: spec.table.partitionKey, rangeKey: spec.table.sortKey },
    ttl: spec.table.ttlAttribute,
  });
}
