import { TeamsDigestSender, TeamsNotifier } from '@spend-alerts/adapters';
import { ReceiverSchema, readInput, type TeamsReceiver } from '@spend-alerts/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTeamsWorkflows, type TeamsWorkflows } from './teams-workflow.ts';

/** The Teams Workflows stand-in, and the notifier against it over loopback as the local runtime runs it. */
let teams: TeamsWorkflows;
beforeAll(async () => {
  teams = await startTeamsWorkflows();
});
afterAll(async () => {
  await teams?.close();
});
beforeEach(() => teams.reset());

const receiver = ReceiverSchema.parse({ type: 'teams', name: 'platform', urlSecret: 'TeamsUrl' }) as TeamsReceiver;
const event = readInput(
  'AWS Budget Notification May 14, 2026\nAWS Account 111111111111\n\nBudget Name: web\nBudget Type: Cost\nBudgeted Amount: $500.00\nAlert Type: ACTUAL\nAlert Threshold: > $400.00\nACTUAL Amount: $560.00\n',
).events[0]!;
const notifier = (url: string) => new TeamsNotifier({ secrets: () => url, allowLoopback: true, env: {} });
const send = (url: string) =>
  notifier(url).deliver(
    { events: [{ event, enrichment: null }], receiver, route: 'route', groupKey: '{}' },
    { idempotencyKey: 'k', attempt: 1 },
  );

describe('the Teams Workflows stand-in', () => {
  it('accepts a card with 202 and records it under the flow its URL names', async () => {
    expect(await send(teams.urlOf('TeamsUrl'))).toEqual({ ref: '202' });
    expect(teams.posts).toHaveLength(1);
    const [post] = teams.posts;
    expect(post!.workflow).toBe('TeamsUrl');
    expect(post!.message?.spendAlerts).toEqual({ kind: 'alert', receiver: 'platform', eventIds: [event.id] });
    expect(post!.message?.attachments[0]?.content.type).toBe('AdaptiveCard');
  });

  it('refuses a wrong signature with 401, which the notifier reports as an auth failure without the URL', async () => {
    const forged = teams.urlOf('TeamsUrl').replace(/sig=[^&]+/, 'sig=forged');
    const error = await send(forged).catch((e: Error & { failure?: string }) => e);
    expect((error as { failure?: string }).failure).toBe('auth');
    expect((error as Error).message).toBe('Teams answered HTTP 401');
    expect(teams.posts).toEqual([]);
  });

  it('answers 400 to a body that is not a message with an Adaptive Card', async () => {
    const response = await fetch(teams.urlOf('TeamsUrl'), { method: 'POST', body: '{"text":"hello"}' });
    expect(response.status).toBe(400);
    expect(teams.posts[0]!.message).toBeNull();
  });

  it('takes a digest card from the digest sender, with no chart', async () => {
    const { buildDigest, dueDigest, DigestScheduleSchema } = await import('@spend-alerts/core');
    const period = dueDigest(DigestScheduleSchema.parse({}), new Date('2026-05-15T08:05:00Z'))!;
    const digest = buildDigest({ receiver: 'platform', period, events: [event], enrichment: null, budgets: [] });
    const sender = new TeamsDigestSender({ secrets: () => teams.urlOf('TeamsUrl'), allowLoopback: true, env: {} });
    expect(await sender.send(digest, receiver)).toEqual({ ref: '202', chart: 'none' });
    expect(teams.posts[0]!.message?.spendAlerts).toMatchObject({ kind: 'digest', receiver: 'platform' });
  });
});
