import { buildApp } from 'fauxqs';

/**
 * SNS and SQS on loopback. fauxqs's own `startFauxqs` listens on every interface; building its
 * app and listening here keeps the stand-in on 127.0.0.1.
 */
export async function startSnsSqs(port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const app = buildApp({ logger: false, defaultRegion: 'us-east-1' });
  const url = await app.listen({ port, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}
