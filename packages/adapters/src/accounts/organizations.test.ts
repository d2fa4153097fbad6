import { ListAccountsCommand, ListTagsForResourceCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountInfo } from '@spend-alerts/core';
import { loadOrganizationAccounts, mergedDirectory } from './organizations.ts';

const orgs = mockClient(OrganizationsClient);
afterEach(() => orgs.reset());

function memoryCache() {
  const items = new Map<string, unknown>();
  return {
    items,
    getCached: async <T>(k: string) => (items.get(k) as T) ?? null,
    putCached: async (k: string, v: unknown) => void items.set(k, JSON.parse(JSON.stringify(v))),
  };
}

describe('organization accounts', () => {
  it('reads every page of accounts and their tags, then answers from the cache', async () => {
    orgs
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({ Accounts: [{ Id: '111111111111', Name: 'prod' }], NextToken: 'p2' });
    orgs.on(ListAccountsCommand, { NextToken: 'p2' }).resolves({ Accounts: [{ Id: '222222222222', Name: 'data' }] });
    orgs
      .on(ListTagsForResourceCommand, { ResourceId: '111111111111' })
      .resolves({ Tags: [{ Key: 'team', Value: 'platform' }] });
    orgs.on(ListTagsForResourceCommand, { ResourceId: '222222222222' }).resolves({
      Tags: [
        { Key: 'team', Value: 'data' },
        { Key: 'env', Value: 'prod' },
      ],
    });
    const cache = memoryCache();
    const client = new OrganizationsClient({ region: 'us-east-1' });
    const accounts = await loadOrganizationAccounts({ client, cache, ttlMs: 86_400_000 });
    expect(Object.fromEntries(accounts)).toEqual({
      '111111111111': { name: 'prod', tags: { team: 'platform' } },
      '222222222222': { name: 'data', tags: { team: 'data', env: 'prod' } },
    });
    const calls = orgs.calls().length;
    const again = await loadOrganizationAccounts({ client, cache, ttlMs: 86_400_000 });
    expect(again.get('222222222222')?.tags.env).toBe('prod');
    expect(orgs.calls().length).toBe(calls); // a day's cache: no second lookup
  });

  it('lets the config name an account its own way', () => {
    const directory = mergedDirectory(
      { accounts: { '111111111111': { name: 'production', tags: {} } } },
      new Map<string, AccountInfo>([
        ['111111111111', { name: 'prod', tags: { team: 'platform' } }],
        ['222222222222', { name: 'data', tags: {} }],
      ]),
    );
    expect(directory('111111111111')?.name).toBe('production');
    expect(directory('222222222222')?.name).toBe('data');
    expect(directory('333333333333')).toBeUndefined();
  });
});
