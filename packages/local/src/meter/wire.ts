/**
 * What one AWS request costs, by the price dimension AWS bills it in, read from the request and the
 * answer as they cross the wire: SQS and SNS bill each 64 KB chunk of payload as one request; SES
 * bills each recipient; Cost Explorer each request (each page is one); Budgets and Organizations
 * requests are free but counted. DynamoDB is metered by {@link DynamoMeter}.
 */
import type { UsageKey } from './usage.ts';

export const CHUNK_BYTES = 64 * 1024;

/** Requests billed for a payload: one per 64 KB chunk, at least one. */
export function chunks(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / CHUNK_BYTES));
}

export interface WireUsage {
  key: UsageKey;
  detail: string;
  quantity: number;
}

type Body = Record<string, unknown>;

const utf8 = (s: unknown) => Buffer.byteLength(typeof s === 'string' ? s : JSON.stringify(s ?? ''), 'utf8');

/** Message attribute bytes count toward the payload: name, type and value. */
function attributeBytes(attributes: unknown): number {
  let n = 0;
  for (const [name, value] of Object.entries((attributes ?? {}) as Record<string, Record<string, unknown>>))
    n += utf8(name) + utf8(value.DataType) + utf8(value.StringValue ?? value.BinaryValue ?? '');
  return n;
}

/** An SQS request (AWS JSON protocol, `AmazonSQS.<Operation>`); only answers of 2xx are billed. */
export function sqsUsage(operation: string, request: Body, response: Body, ok: boolean): WireUsage[] {
  if (!ok) return [];
  switch (operation) {
    case 'SendMessage':
      return [
        {
          key: 'sqs.requests',
          detail: operation,
          quantity: chunks(utf8(request.MessageBody) + attributeBytes(request.MessageAttributes)),
        },
      ];
    case 'SendMessageBatch': {
      const entries = (request.Entries ?? []) as Body[];
      const bytes = entries.reduce((n, e) => n + utf8(e.MessageBody) + attributeBytes(e.MessageAttributes), 0);
      return [{ key: 'sqs.requests', detail: operation, quantity: chunks(bytes) }];
    }
    case 'ReceiveMessage': {
      const messages = (response.Messages ?? []) as Body[];
      if (!messages.length) return [{ key: 'sqs.requests', detail: 'ReceiveMessage (empty)', quantity: 1 }];
      const bytes = messages.reduce((n, m) => n + utf8(m.Body) + attributeBytes(m.MessageAttributes), 0);
      return [{ key: 'sqs.requests', detail: operation, quantity: chunks(bytes) }];
    }
    default:
      // DeleteMessage(Batch), ChangeMessageVisibility(Batch), GetQueueAttributes …: small payloads.
      return [{ key: 'sqs.requests', detail: operation, quantity: 1 }];
  }
}

/** An SNS request (query protocol, `Action=…`): a publish is billed per 64 KB of message. */
export function snsUsage(form: URLSearchParams, ok: boolean): WireUsage[] {
  if (!ok) return [];
  const action = form.get('Action') ?? 'unknown';
  if (action === 'Publish')
    return [{ key: 'sns.publishes', detail: action, quantity: chunks(utf8(form.get('Message') ?? '')) }];
  if (action === 'PublishBatch') {
    let bytes = 0;
    for (const [name, value] of form)
      if (/^PublishBatchRequestEntries\.member\.\d+\.Message$/.test(name)) bytes += utf8(value);
    return [{ key: 'sns.publishes', detail: action, quantity: chunks(bytes) }];
  }
  return [];
}

/** An SES v2 SendEmail: one billed email per recipient; attachments (inline images too) by their bytes. */
export function sesUsage(path: string, request: Body, ok: boolean): WireUsage[] {
  if (!ok || !/\/v2\/email\/outbound-emails\/?$/.test(path)) return [];
  const destination = (request.Destination ?? {}) as Record<string, string[] | undefined>;
  let recipients =
    (destination.ToAddresses?.length ?? 0) +
    (destination.CcAddresses?.length ?? 0) +
    (destination.BccAddresses?.length ?? 0);
  const raw = ((request.Content as Body | undefined)?.Raw as Body | undefined)?.Data;
  const mime = typeof raw === 'string' ? Buffer.from(raw, 'base64').toString('utf8') : '';
  if (!recipients && mime) recipients = recipientsInHeaders(mime);
  const usage: WireUsage[] = [{ key: 'ses.recipients', detail: 'SendEmail', quantity: Math.max(1, recipients) }];
  const attached = /^Content-Disposition:\s*(inline|attachment)/im.test(mime) || /^Content-ID:/im.test(mime);
  if (attached) usage.push({ key: 'ses.attachmentBytes', detail: 'SendEmail', quantity: Buffer.byteLength(mime) });
  return usage;
}

function ceDetail(operation: string, request: Body): string {
  const period = request.TimePeriod as { Start?: string; End?: string } | undefined;
  if (operation !== 'GetCostAndUsage' || !period?.Start || !period.End) return operation;
  const days = Math.round(
    (Date.parse(`${period.End}T00:00:00Z`) - Date.parse(`${period.Start}T00:00:00Z`)) / 86_400_000,
  );
  return `${operation} (${days} days${request.NextPageToken ? ', next page' : ''})`;
}

/** What a run's Cost Explorer records say: refreshes (first pages) and pages, by the days each asked for. */
export function ceRefreshes(
  details: Array<{ detail: string; quantity: number }>,
): Array<{ days: number; refreshes: number; pages: number }> {
  const byDays = new Map<number, { refreshes: number; pages: number }>();
  for (const { detail, quantity } of details) {
    const match = /^GetCostAndUsage \((\d+) days(, next page)?\)$/.exec(detail);
    if (!match) continue;
    const entry = byDays.get(Number(match[1])) ?? { refreshes: 0, pages: 0 };
    entry.pages += quantity;
    if (!match[2]) entry.refreshes += quantity;
    byDays.set(Number(match[1]), entry);
  }
  return [...byDays].map(([days, e]) => ({ days, ...e })).sort((a, b) => a.days - b.days);
}

/** Addresses in the To, Cc and Bcc headers of a MIME message. */
export function recipientsInHeaders(mime: string): number {
  const head = mime.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  let n = 0;
  for (const line of unfolded.split(/\r?\n/)) {
    const match = /^(To|Cc|Bcc):\s*(.*)$/i.exec(line);
    if (match) n += match[2]!.split(',').filter((a) => a.includes('@')).length;
  }
  return n;
}

/**
 * A request to a JSON-protocol service named by its `X-Amz-Target` prefix. A GetCostAndUsage says
 * how many days it asked for and whether it was a further page, so that a run can tell a refresh of
 * a few days from a first fill of the history.
 */
export function jsonServiceUsage(target: string, ok: boolean, request: Body = {}): WireUsage[] {
  if (!ok) return [];
  const [prefix, operation = 'unknown'] = target.split('.');
  if (prefix === 'AWSInsightsIndexService')
    return [{ key: 'costExplorer.requests', detail: ceDetail(operation, request), quantity: 1 }];
  if (prefix === 'AWSBudgetServiceGateway') return [{ key: 'budgets.requests', detail: operation, quantity: 1 }];
  if (prefix?.startsWith('AWSOrganizations'))
    return [{ key: 'organizations.requests', detail: operation, quantity: 1 }];
  return [];
}
