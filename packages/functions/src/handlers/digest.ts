import { awsDigestDeps, type DigestDeps } from '../digest/deps.ts';
import { recordDigestRun, runDigests } from '../digest/run-digests.ts';

let ready: Promise<DigestDeps> | undefined;

/**
 * The hourly digest job (EventBridge Scheduler, minute 5): sends the digests whose local send time
 * has come. Failures are per digest, logged and kept in the ledger, so the invocation itself only
 * fails when its dependencies cannot be built (a missing link or config), and then tries afresh.
 */
export const handler = async (_event?: unknown) => {
  ready ??= awsDigestDeps();
  const deps = await ready.catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  const results = await runDigests(deps, deps.clock.now());
  await recordDigestRun(deps.stores.cache, deps.clock.now());
  return { digests: results.map((r) => ({ receiver: r.receiver, periodKey: r.periodKey, outcome: r.outcome })) };
};
