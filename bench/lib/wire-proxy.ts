/**
 * A loopback HTTP proxy in front of a stand-in, for the consumers' side of the wire: it can rewrite
 * an AWS JSON request before forwarding it and observes every answer. The fault suites use it to
 * compress SQS time (a killed consumer's batch comes back after seconds, not after the 180 s
 * visibility timeout of the deployed queues) and to count DynamoDB conditional-check failures as
 * DynamoDB answered them. Nothing else on the path changes.
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WireProxyOptions {
  /** `http://127.0.0.1:PORT` of the stand-in. */
  target: string;
  /** Rewrites the parsed JSON body of an AWS JSON request (`x-amz-target` names the operation). */
  rewrite?: (operation: string, body: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Sees every answer before the client does: the operation, HTTP status, body text, and the
   * request's path and body. Whatever it does (kill the client, say) happens before the answer leaves.
   */
  observe?: (operation: string, status: number, body: string, request: { path: string; body: string }) => void;
}

export interface WireProxy {
  url: string;
  /** Requests forwarded, by operation (`ReceiveMessage`, `PutItem`…). */
  readonly calls: Map<string, number>;
  close(): Promise<void>;
}

export async function startWireProxy(options: WireProxyOptions): Promise<WireProxy> {
  const target = new URL(options.target);
  const calls = new Map<string, number>();
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readAll(req);
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      calls.set(operation, (calls.get(operation) ?? 0) + 1);
      let body = raw;
      if (options.rewrite && operation && raw.length) {
        try {
          body = Buffer.from(
            JSON.stringify(options.rewrite(operation, JSON.parse(raw.toString('utf8')) as Record<string, unknown>)),
          );
        } catch {
          body = raw;
        }
      }
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
        (answer) => {
          void readAll(answer).then((text) => {
            options.observe?.(operation, answer.statusCode ?? 0, text.toString('utf8'), {
              path: req.url ?? '/',
              body: body.toString('utf8'),
            });
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': String(text.length) });
            res.end(text);
          });
        },
      );
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      upstream.end(body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
