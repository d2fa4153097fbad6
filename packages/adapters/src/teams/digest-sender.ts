import { renderDigestTeams, type Digest, type TeamsReceiver } from '@spend-alerts/core';
import { TeamsNotifier, type TeamsNotifierOptions } from './notifier.ts';

/**
 * Posts digests to Teams as one Adaptive Card. A Workflows webhook takes no file: the chart is left
 * out (`chart: 'none'`), and the card carries the spend figures it would show.
 */
export class TeamsDigestSender {
  readonly channel = 'teams' as const;
  private readonly notifier: TeamsNotifier;

  constructor(options: TeamsNotifierOptions) {
    this.notifier = new TeamsNotifier(options);
  }

  /** Throws `DeliveryError` when Teams did not accept it. */
  async send(digest: Digest, receiver: TeamsReceiver): Promise<{ ref: string | null; chart: 'none' }> {
    const status = await this.notifier.post(receiver, JSON.stringify(renderDigestTeams(digest)));
    return { ref: String(status), chart: 'none' };
  }
}
