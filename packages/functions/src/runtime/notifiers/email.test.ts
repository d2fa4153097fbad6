import { describe, expect, it } from 'vitest';
import { DeliveryError } from '@spend-alerts/adapters';
import { loadConfig } from '@spend-alerts/core';
import { emailNotifier } from './email.ts';

describe('emailNotifier', () => {
  it('starts without email.from (no email receiver), and refuses a delivery for good', async () => {
    const config = loadConfig(
      'receivers: [{ name: ops, type: slack, channel: "#ops" }]\nroute: { receiver: ops }\n',
      'c.yaml',
    );
    const notifier = emailNotifier({ config, secrets: {} as never, env: {}, accounts: {} as never });
    expect(notifier.channel).toBe('email');
    const sent = notifier.deliver({} as never, { idempotencyKey: 'k', attempt: 1 });
    await expect(sent).rejects.toBeInstanceOf(DeliveryError);
    await expect(sent).rejects.toMatchObject({
      failure: 'permanent',
      retryable: false,
      message: 'email receivers need email.from in the config',
    });
  });
});
