/**
 * The AWS JSON 1.1 protocol as the SDK speaks it to Cost Explorer and Budgets: `POST /` with
 * `X-Amz-Target: <service prefix>.<Operation>`, a JSON body, and errors as status 4xx/5xx with
 * `{"__type": "<ErrorCode>", "message": "..."}`, from which the SDK builds the typed exception.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDay } from '../sim/calendar.ts';

export const CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * An error the stand-in answers with, as AWS would. `code` becomes `__type`, which the SDK maps
 * to its exception class (`DataUnavailableException`) or, for codes the service model does not
 * list (`ThrottlingException` on Cost Explorer, `ValidationException`), to the service's base
 * exception with that `name`, which is what its retry logic looks at.
 */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

/** Raises ValidationException, the error AWS gives for a request its model allows but the service rejects. */
export function invalid(message: string): never {
  throw new AwsServiceError('ValidationException', message);
}

/** Reads the whole body as JSON; an empty body is `{}`, as the SDK sends for input-less calls. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AwsServiceError('SerializationException', 'Request body is not valid JSON');
  }
  if (!isObject(body)) throw new AwsServiceError('SerializationException', 'Request body must be a JSON object');
  return body;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: AwsServiceError, requestId: string): void {
  sendJson(res, error.status, { __type: error.code, message: error.message }, requestId);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A `TimePeriod { Start, End }` of whole days, End exclusive and after Start. */
export function readTimePeriod(value: unknown): { start: string; end: string } {
  if (!isObject(value)) invalid('TimePeriod is required');
  const { Start: start, End: end } = value;
  if (!isDay(start) || !isDay(end))
    invalid(
      `TimePeriod dates must be valid YYYY-MM-DD dates, got Start ${JSON.stringify(start)} and End ${JSON.stringify(end)}`,
    );
  if (start >= end) invalid('Start date (and hour) should be before end date (and hour)');
  return { start, end };
}

/** A required string member of one of the allowed values. */
export function readEnum<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    invalid(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

export function readString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') invalid(`${name} is required`);
  return value;
}
