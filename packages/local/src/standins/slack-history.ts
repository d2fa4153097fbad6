/**
 * `conversations.history` and `conversations.replies` over the stand-in's stored messages, as Slack
 * answers them: newest first, `limit` per page (default 100, at most 999), `cursor` pagination with
 * `has_more` and `response_metadata.next_cursor`, `oldest`/`latest` bounds, and each message's
 * `metadata` only with `include_all_metadata`. History lists a channel's top-level messages (thread
 * replies are read with `replies`, from the parent's `ts`).
 */

/** What these methods read of a stored message. */
export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  metadata?: unknown;
}

type Params = Record<string, unknown>;

/** Lists a channel's top-level messages. */
export function conversationsHistory<M extends StoredMessage>(
  messages: readonly M[],
  channelId: string,
  params: Params,
  wire: (m: M) => object,
) {
  const inChannel = messages.filter((m) => m.channel === channelId && (!m.thread_ts || m.thread_ts === m.ts));
  return page(inChannel, params, wire);
}

/** Lists a thread: its parent, then its replies, oldest first as Slack does; null when there is no such parent. */
export function conversationsReplies<M extends StoredMessage>(
  messages: readonly M[],
  channelId: string,
  params: Params,
  wire: (m: M) => object,
) {
  const ts = text(params.ts);
  const thread = messages.filter((m) => m.channel === channelId && (m.ts === ts || m.thread_ts === ts));
  if (!thread.some((m) => m.ts === ts)) return null;
  return page([...thread].reverse(), params, wire);
}

/** One page, newest first, of the messages (given oldest first) within `oldest`/`latest`. */
function page<M extends StoredMessage>(messages: readonly M[], params: Params, wire: (m: M) => object) {
  const oldest = Number(text(params.oldest) ?? 0);
  const latest = Number(text(params.latest) ?? Infinity);
  const limit = Math.min(999, Math.max(1, Number(text(params.limit) ?? 100) || 100));
  const start =
    Number(
      Buffer.from(text(params.cursor) ?? '', 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    ) || 0;
  const withMetadata = ['true', '1'].includes(String(params.include_all_metadata));
  const listed = messages.filter((m) => Number(m.ts) >= oldest && Number(m.ts) <= latest).reverse();
  const slice = listed.slice(start, start + limit);
  const more = start + limit < listed.length;
  return {
    messages: slice.map((m) => ({
      ...wire(m),
      ...(withMetadata && m.metadata !== undefined ? { metadata: m.metadata } : {}),
    })),
    has_more: more,
    response_metadata: { next_cursor: more ? Buffer.from(`offset:${start + limit}`).toString('base64url') : '' },
  };
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
