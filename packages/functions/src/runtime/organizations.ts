import { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { KeyValueCache, Logger } from '@spend-alerts/adapters';
import { awsClientConfig } from '@spend-alerts/adapters/aws';
import { loadOrganizationAccounts, mergedDirectory } from '@spend-alerts/adapters/organizations';
import { directoryOf, type AccountDirectory, type Config } from '@spend-alerts/core';

/**
 * The account directory of a payer account: the config's accounts first, then the organization's
 * (cached in the ledger). A lookup that fails leaves the config's names.
 */
export async function organizationDirectory(
  env: NodeJS.ProcessEnv,
  config: Config,
  cache: KeyValueCache,
  logger: Logger,
): Promise<AccountDirectory> {
  const client = new OrganizationsClient(awsClientConfig(env, 'ORGANIZATIONS', 'us-east-1'));
  try {
    return mergedDirectory(
      config,
      await loadOrganizationAccounts({ client, cache, ttlMs: config.organizations.cacheTtl }),
    );
  } catch (error) {
    // A lookup that fails (permissions, throttling) leaves the config's names: routing still works.
    logger.warn({ err: error }, "AWS Organizations accounts unavailable; using the config's accounts");
    return directoryOf(config);
  }
}
