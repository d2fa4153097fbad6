/**
 * A loopback proxy in front of a stand-in that meters every request it forwards, by the price
 * dimension AWS bills it in, and by who sent it: a client's access key id names its source
 * (`meter:<source>`; see {@link meteredCredentials}). Requests and answers pass unchanged, but for
 * a DynamoDB UpdateItem, which is asked for its new item (to know its size) and answered as asked.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoMeter } from './dynamodb-meter.ts';
import type { CostMeter, UsageSource } from './usage.ts';
import { jsonServiceUsage, sesUsage, snsUsage, sqsUsage, type WireUsage } from './wire.ts';

export type MeteredService = 'sns-sqs' | 'dynamodb' | 'ses' | 'json';

export interface MeteredProxy {
  url: string;
  close(): Promise<void>;
}

const PREFIX = 'meter:';

/** Credentials that name a source for the meter; the stand-ins accept any. */
export function meteredCredentials(source: UsageSource): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: `${PREFIX}${source}`, secretAccessKey: 'local' };
}

/** The source a request's SigV4 `Authorization` header names, or `other`. */
export function sourceOf(headers: IncomingHttpHeaders): UsageSource {
  const match = /Credential=([^/,\s]+)\//.exec(String(headers.authorization ?? ''));
  const key = match ? decodeURIComponent(match[1]!) : '';
  return key.startsWith(PREFIX) ? key.slice(PREFIX.length) : 'other';
}

export async function startMeteredProxy(options: {
  target: string;
  service: MeteredService;
  meter: CostMeter;
  /** Shared by the proxies in front of one DynamoDB, so that item sizes are known across them. */
  dynamo?: DynamoMeter;
}): Promise<MeteredProxy> {
  const target = new URL(options.target);
  const dynamo = options.dynamo ?? new DynamoMeter();
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readAll(req);
      const operation = String(req.headers['x-amz-target'] ?? '');
      const source = sourceOf(req.headers);
      let body = raw;
      let askedForNew = true;
      if (options.service === 'dynamodb' && operation.endsWith('.UpdateItem')) {
        const parsed = parse(raw);
        askedForNew = parsed.ReturnValues === 'ALL_NEW';
        if (!askedForNew) body = Buffer.from(JSON.stringify({ ...parsed, ReturnValues: 'ALL_NEW' }));
      }
      const answer = await forward(target, req, body);
      let out = answer.body;
      const headers = { ...answer.headers };
      delete headers['transfer-encoding'];
      const ok = answer.status >= 200 && answer.status < 300;
      const usage = meter(options.service, dynamo, req.url ?? '/', operation, raw, answer.body, ok);
      if (options.service === 'dynamodb' && operation.endsWith('.UpdateItem') && !askedForNew && ok) {
        const { Attributes: _new, ...rest } = parse(answer.body);
        out = Buffer.from(JSON.stringify(rest));
        delete headers['x-amz-crc32']; // the answer changed
      }
      for (const u of usage) options.meter.add(u.key, source, u.detail, u.quantity);
      if (res.destroyed) return;
      res.writeHead(answer.status, { ...headers, 'content-length': String(out.length) });
      res.end(out);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function meter(
  service: MeteredService,
  dynamo: DynamoMeter,
  path: string,
  target: string,
  request: Buffer,
  response: Buffer,
  ok: boolean,
): WireUsage[] {
  switch (service) {
    case 'sns-sqs':
      return target.startsWith('AmazonSQS.')
        ? sqsUsage(target.slice('AmazonSQS.'.length), parse(request), parse(response), ok)
        : snsUsage(new URLSearchParams(request.toString('utf8')), ok);
    case 'dynamodb': {
      const operation = target.split('.').pop() ?? '';
      const body = parse(request);
      const units = dynamo.units(operation, body, parse(response), ok);
      const detail = `${operation}${recordKind(body)}`;
      return [
        { key: 'dynamodb.readUnits' as const, detail, quantity: units.read },
        { key: 'dynamodb.writeUnits' as const, detail, quantity: units.write },
      ].filter((u) => u.quantity > 0);
    }
    case 'ses':
      return sesUsage(path, parse(request), ok);
    case 'json':
      return jsonServiceUsage(target, ok, parse(request));
  }
}

/** What kind of ledger record a single-item request is about, from its partition key's prefix: ` (DELIVERY)`. */
function recordKind(body: Record<string, unknown>): string {
  const key = (body.Item ?? body.Key) as Record<string, { S?: string }> | undefined;
  const values = body.ExpressionAttributeValues as Record<string, { S?: string }> | undefined;
  const pk = key?.pk?.S ?? values?.[':pk']?.S;
  return pk ? ` (${pk.split('#')[0]})` : '';
}

function parse(buffer: Buffer): Record<string, unknown> {
  try {
    const value = JSON.parse(buffer.toString('utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function forward(
  target: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (answer) => {
        readAll(answer).then(
          (text) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: text }),
          reject,
        );
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
