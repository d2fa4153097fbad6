import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { startLocalStack } from './stack.ts';

async function outbox(sesUrl: string): Promise<unknown[]> {
  return ((await (await fetch(`${sesUrl}/store`)).json()) as { emails: unknown[] }).emails;
}

describe('the local stack', () => {
  it('starts with an empty SES outbox, although the stand-in keeps one per process', async () => {
    const first = await startLocalStack();
    try {
      const ses = new SESv2Client({
        endpoint: first.sesUrl,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'a@example.com',
          Destination: { ToAddresses: ['b@example.com'] },
          Content: { Simple: { Subject: { Data: 'one' }, Body: { Text: { Data: 'x' } } } },
        }),
      );
      expect(await outbox(first.sesUrl)).toHaveLength(1);
      const second = await startLocalStack();
      try {
        expect(await outbox(second.sesUrl)).toEqual([]);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  }, 60_000);
});
