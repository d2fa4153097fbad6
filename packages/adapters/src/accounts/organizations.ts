import { ListAccountsCommand, ListTagsForResourceCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { AccountDirectory, AccountInfo, Config } from '@spend-alerts/core';
import type { EnrichmentCache } from '../enrich/cost-explorer.ts';

const CACHE_KEY = 'organizations:accounts';

/**
 * The organization's accounts with their names and tags, read with ListAccounts and
 * ListTagsForResource in the payer account and cached in the ledger (a day by default), so that
 * routes can match `accountName` and `tag.<name>` for accounts the config does not list.
 */
export async function loadOrganizationAccounts(options: {
  client?: OrganizationsClient;
  cache: Pick<EnrichmentCache, 'getCached' | 'putCached'>;
  ttlMs: number;
}): Promise<Map<string, AccountInfo>> {
  const hit = await options.cache.getCached<Array<[string, AccountInfo]>>(CACHE_KEY);
  if (hit) return new Map(hit);
  const client = options.client ?? new OrganizationsClient({ region: 'us-east-1' });
  const accounts: Array<[string, AccountInfo]> = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListAccountsCommand({ NextToken: token }));
    for (const account of page.Accounts ?? []) {
      if (!account.Id) continue;
      accounts.push([account.Id, { name: account.Name ?? account.Id, tags: await tagsOf(client, account.Id) }]);
    }
    token = page.NextToken;
  } while (token);
  await options.cache.putCached(CACHE_KEY, accounts, options.ttlMs);
  return new Map(accounts);
}

async function tagsOf(client: OrganizationsClient, id: string): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await client.send(new ListTagsForResourceCommand({ ResourceId: id, NextToken: token }));
    for (const tag of page.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
    token = page.NextToken;
  } while (token);
  return tags;
}

/** The config's `accounts:` first (what the user wrote wins), then the organization's. */
export function mergedDirectory(
  config: Pick<Config, 'accounts'>,
  organization: Map<string, AccountInfo>,
): AccountDirectory {
  return (id) => config.accounts[id] ?? organization.get(id);
}
