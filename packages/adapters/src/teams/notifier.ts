import { renderTeamsMessage, type Notification, type TeamsReceiver } from '@spend-alerts/core';
import { DeliveryError } from '../errors.ts';
import type { DeliveryContext, DeliveryResult, Notifier } from '../notifier.ts';
import type { SecretResolver } from '../secrets.ts';
import type { Resolver } from '../webhook/ssrf.ts';
import { postToSecretUrl } from './post.ts';

export interface TeamsNotifierOptions {
  secrets: SecretResolver;
  resolve?: Resolver;
  ca?: string | Buffer;
  /**
   * Whether the workflow URL may be on loopback, for the local runtime's stand-in. Never inside AWS
   * Lambda, where loopback is the runtime API; default: no.
   */
  allowLoopback?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * Posts an Adaptive Card to a Teams Workflows webhook ("When a Teams webhook request is received"),
 * whose URL is read from the receiver's secret at delivery. Teams answers 202 when the flow accepted it.
 */
export class TeamsNotifier implements Notifier<TeamsReceiver> {
  readonly channel = 'teams' as const;
  readonly perEvent = false;
  private readonly allowLoopback: boolean;

  constructor(private readonly options: TeamsNotifierOptions) {
    this.allowLoopback = (options.allowLoopback ?? false) && !(options.env ?? process.env).AWS_LAMBDA_RUNTIME_API;
  }

  async deliver(n: Notification<TeamsReceiver>, _context: DeliveryContext): Promise<DeliveryResult> {
    const status = await this.post(n.receiver, JSON.stringify(renderTeamsMessage(n)));
    return { ref: String(status) };
  }

  /** Posts a rendered message to the receiver's workflow; the digest sender uses it too. */
  async post(receiver: TeamsReceiver, body: string): Promise<number> {
    let url: string;
    try {
      url = this.options.secrets(receiver.urlSecret);
    } catch (error) {
      throw new DeliveryError((error as Error).message, 'permanent', { cause: error });
    }
    return postToSecretUrl(url, body, {
      resolve: this.options.resolve,
      ca: this.options.ca,
      allowLoopback: this.allowLoopback,
      timeoutMs: receiver.timeoutMs,
    });
  }
}
