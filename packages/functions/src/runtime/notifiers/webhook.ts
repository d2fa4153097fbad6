import type { Notifier } from '@spend-alerts/adapters';
import { WebhookNotifier } from '@spend-alerts/adapters/webhook';
import type { NotifierFactory } from '../channel-deps.ts';

/** Signed webhooks: signing secrets and secret URLs by name, resolved at delivery. */
export const webhookNotifier: NotifierFactory = ({ secrets, env }) => new WebhookNotifier({ secrets, env }) as Notifier;
