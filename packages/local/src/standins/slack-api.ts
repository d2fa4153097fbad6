/**
 * A local Slack Web API that the real `@slack/web-api` client talks to through `slackApiUrl`.
 * It speaks the wire protocol the client uses (form-encoded bodies with JSON-encoded fields, JSON bodies,
 * multipart uploads), answers with Slack's response shapes and error codes, and injects wire faults.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultPlan, faultHeaders, readBody, replacesResponse, send, stall, startLocalServer } from './http.ts';
import { conversationsHistory, conversationsReplies } from './slack-history.ts';
import { PostRateLimit } from './slack-rate-limit.ts';

/** A channel the workspace knows. `joined: false` answers `not_in_channel` to posts. */
export interface ChannelSpec {
  name: string;
  id?: string;
  joined?: boolean;
  archived?: boolean;
}

/** A channel as the stand-in holds it. */
export interface SlackChannel {
  readonly id: string;
  readonly name: string;
  joined: boolean;
  archived: boolean;
}

/** A message in a channel: a `chat.postMessage`, or the share of completed file uploads. */
export interface SlackMessage {
  /** Channel id, whatever form the caller used. */
  channel: string;
  channelName: string;
  ts: string;
  thread_ts?: string;
  reply_broadcast?: boolean;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  username?: string;
  icon_emoji?: string;
  icon_url?: string;
  subtype?: 'file_share';
  /** Ids of the files shared by this message. */
  files?: string[];
  receivedAt: Date;
  editedAt?: Date;
}

/** A file whose upload was completed with `files.completeUploadExternal`. */
export interface SlackFile {
  id: string;
  filename: string;
  title?: string;
  bytes: Buffer;
  /** The length declared to `files.getUploadURLExternal`. */
  length: number;
  mimetype: string;
  alt_text?: string;
  channel?: string;
  thread_ts?: string;
  initial_comment?: string;
  uploadedAt: Date;
}

/** One request to the stand-in; `upload` is the POST of bytes to an upload URL. */
export interface SlackApiCall {
  method: string;
  /** The token presented (Authorization header or `token` field); a test token, never a real one. */
  token?: string;
  /** Decoded arguments, without `token`. */
  params: Record<string, unknown>;
  at: Date;
  /** HTTP status answered (0 when the client left before the answer). */
  status: number;
  /** Slack error code answered, if any. */
  error?: string;
  /** Bytes of the request body. */
  bytes: number;
}

/** Live updates, for tests waiting on a condition and for the dashboard. */
export interface SlackApiEvents {
  message: [SlackMessage];
  update: [SlackMessage];
  file: [SlackFile];
  call: [SlackApiCall];
}

/** Options of {@link startSlackApi}. */
export interface SlackApiOptions {
  /** Default 0: a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** The one accepted token; default `xoxb-local-test`. */
  token?: string;
  /** Default {@link DEFAULT_CHANNELS}. */
  channels?: readonly ChannelSpec[];
  /** Clock for message timestamps (ms). */
  now?: () => number;
  maxBodyBytes?: number;
}

/** A running Slack stand-in. */
export interface SlackApi {
  /** Give this as `slackApiUrl`: `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly channels: readonly SlackChannel[];
  readonly messages: SlackMessage[];
  readonly files: SlackFile[];
  readonly calls: SlackApiCall[];
  readonly faults: FaultPlan;
  /** Slack's per-channel posting limit (429 with Retry-After), in real time; off until `configure`d. */
  readonly postRateLimit: PostRateLimit;
  readonly events: EventEmitter<SlackApiEvents>;
  /** Calls `listener` for every new message; returns the unsubscribe. */
  onMessage(listener: (message: SlackMessage) => void): () => void;
  /** A channel by `#name`, name or id. */
  channel(ref: string): SlackChannel | undefined;
  /** Forgets messages, files, calls and faults; channels return to their configured state. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_SLACK_TOKEN = 'xoxb-local-test';

export const DEFAULT_CHANNELS: readonly ChannelSpec[] = [
  { name: 'finops-alerts', id: 'C0FINOPS001' },
  { name: 'data-costs', id: 'C0DATACOST1' },
  { name: 'cloud-spend-weekly', id: 'C0SPENDWKLY' },
  { name: 'general', id: 'C0GENERAL01', joined: false },
];

const TEAM = { id: 'T0LOCAL0001', name: 'Local Test', domain: 'local-test' };
const BOT = { user: 'spend-alerts', user_id: 'U0LOCALBOT1', bot_id: 'B0LOCALBOT1', app_id: 'A0LOCALAPP1' };
const TS = /^\d+\.\d+$/;
/** Slack's documented limits, enforced so renderer bugs fail locally as they would in Slack. */
const MAX_TEXT = 40_000;
const MAX_BLOCKS = 50;

type Params = Record<string, unknown>;
interface Reply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** A Slack platform error: HTTP 200 with `{ ok: false, error }`. */
class SlackCodeError extends Error {
  override readonly name = 'SlackCodeError';
  constructor(readonly code: string) {
    super(code);
  }
}
const fail = (code: string): never => {
  throw new SlackCodeError(code);
};

/**
 * Starts a Slack Web API stand-in on 127.0.0.1.
 * @example
 * const slack = await startSlackApi();
 * const client = new WebClient(slack.token, { slackApiUrl: slack.url });
 */
export async function startSlackApi(options: SlackApiOptions = {}): Promise<SlackApi> {
  const workspace = new Workspace(options);
  const server = await startLocalServer((req, res, signal) => workspace.serve(req, res, signal), options.port);
  workspace.origin = server.origin;
  return {
    url: `${server.origin}/api/`,
    origin: server.origin,
    token: workspace.token,
    get channels() {
      return workspace.channels;
    },
    messages: workspace.messages,
    files: workspace.files,
    calls: workspace.calls,
    faults: workspace.faults,
    postRateLimit: workspace.postRateLimit,
    events: workspace.events,
    onMessage(listener) {
      workspace.events.on('message', listener);
      return () => workspace.events.off('message', listener);
    },
    channel: (ref) => workspace.find(ref),
    reset: () => workspace.reset(),
    close: () => server.close(),
  };
}

interface PendingUpload {
  id: string;
  filename: string;
  length: number;
  alt_text?: string;
  bytes?: Buffer;
}

class Workspace {
  readonly token: string;
  readonly messages: SlackMessage[] = [];
  readonly files: SlackFile[] = [];
  readonly calls: SlackApiCall[] = [];
  readonly faults = new FaultPlan();
  readonly postRateLimit = new PostRateLimit();
  readonly events = new EventEmitter<SlackApiEvents>();
  channels: SlackChannel[] = [];
  origin = '';
  readonly #specs: readonly ChannelSpec[];
  readonly #now: () => number;
  readonly #maxBody: number | undefined;
  readonly #pending = new Map<string, PendingUpload>();
  #lastMicros = 0;
  #fileCount = 0;

  /** Web API methods by name: one entry per method, no chain of ifs. */
  readonly #methods: Record<string, (p: Params) => object> = {
    'auth.test': () => ({
      url: `https://${TEAM.domain}.slack.com/`,
      team: TEAM.name,
      user: BOT.user,
      team_id: TEAM.id,
      user_id: BOT.user_id,
      bot_id: BOT.bot_id,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (p) => this.#postMessage(p),
    'chat.update': (p) => this.#update(p),
    'chat.getPermalink': (p) => {
      const channel = this.#byId(str(p, 'channel'));
      const ts = str(p, 'message_ts') ?? fail('message_not_found');
      return { channel: channel.id, permalink: permalink(channel.id, ts) };
    },
    'conversations.list': (p) => ({
      channels: this.channels.filter((c) => !(flag(p, 'exclude_archived') && c.archived)).map(wireChannel),
      response_metadata: { next_cursor: '' },
    }),
    'conversations.info': (p) => ({ channel: wireChannel(this.#byId(str(p, 'channel'))) }),
    'conversations.history': (p) =>
      conversationsHistory(this.messages, this.#byId(str(p, 'channel')).id, p, wireMessage),
    'conversations.replies': (p) =>
      conversationsReplies(this.messages, this.#byId(str(p, 'channel')).id, p, wireMessage) ?? fail('thread_not_found'),
    'conversations.join': (p) => {
      const channel = this.#byId(str(p, 'channel'));
      if (channel.archived) fail('is_archived');
      channel.joined = true;
      return { channel: wireChannel(channel) };
    },
    'files.getUploadURLExternal': (p) => this.#uploadUrl(p),
    'files.completeUploadExternal': (p) => this.#completeUploads(p),
  };

  constructor(options: SlackApiOptions) {
    this.token = options.token ?? DEFAULT_SLACK_TOKEN;
    this.#specs = options.channels ?? DEFAULT_CHANNELS;
    this.#now = options.now ?? Date.now;
    this.#maxBody = options.maxBodyBytes;
    this.reset();
  }

  reset(): void {
    this.messages.length = 0;
    this.files.length = 0;
    this.calls.length = 0;
    this.#pending.clear();
    this.faults.clear();
    this.channels = this.#specs.map((spec, i) => ({
      id: spec.id ?? `C${String(i + 1).padStart(10, '0')}`,
      name: spec.name.replace(/^#/, ''),
      joined: spec.joined ?? true,
      archived: spec.archived ?? false,
    }));
  }

  find(ref: string): SlackChannel | undefined {
    const name = ref.replace(/^#/, '');
    return this.channels.find((c) => c.id === ref || c.name === name);
  }

  async serve(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    if (req.method !== 'POST' && req.method !== 'GET') return send(res, 405, '', { allow: 'GET, POST' });
    const upload = /^\/upload\/v1\/([A-Z0-9]+)$/.exec(url.pathname)?.[1];
    const method = url.pathname.startsWith('/api/') ? url.pathname.slice('/api/'.length) : undefined;
    if (!upload && !method) return send(res, 404, 'Not Found', { 'content-type': 'text/plain' });
    const body = await readBody(req, this.#maxBody);
    const call: SlackApiCall = {
      method: upload ? 'upload' : method!,
      params: {},
      at: new Date(this.#now()),
      status: 0,
      bytes: body.length,
    };
    this.calls.push(call);
    const fault = this.faults.take(call.method);
    // A replacing fault means Slack never acted, unless the fault says the response was lost after acting.
    const effect = !replacesResponse(fault) || fault.processed === true;
    let reply = upload
      ? await this.#receiveBytes(upload, req, body, call, effect)
      : await this.#call(method!, req, url, body, call, effect);
    if (!(await stall(fault?.stallMs ?? 0, signal))) return void this.events.emit('call', call);
    if (replacesResponse(fault)) {
      const error = fault.error ?? defaultError(fault.status ?? 200);
      const headers = { 'content-type': 'application/json; charset=utf-8', ...faultHeaders(fault) };
      reply = { status: fault.status ?? 200, body: fault.body ?? JSON.stringify({ ok: false, error }), headers };
      call.error = error;
    }
    call.status = reply.status;
    send(res, reply.status, reply.body, reply.headers);
    this.events.emit('call', call);
  }

  /** Decodes and records the call; runs it only when `effect`. */
  async #call(
    method: string,
    req: IncomingMessage,
    url: URL,
    body: Buffer,
    call: SlackApiCall,
    effect: boolean,
  ): Promise<Reply> {
    let result: object = { ok: true };
    try {
      const { token, ...args } = { ...Object.fromEntries(url.searchParams), ...(await decodeBody(req, body)) };
      // Slack reads a token from form fields, but from the Authorization header only for JSON bodies.
      const bodyToken = isJson(req) ? undefined : str({ token }, 'token');
      call.token = bearerOf(req) ?? bodyToken;
      call.params = args;
      const run = this.#methods[method];
      if (!effect) return jsonReply(result);
      if (method === 'api.test') result = { ok: true, args };
      else if (!run) fail('unknown_method');
      else if (!call.token) fail('not_authed');
      else if (call.token !== this.token) fail('invalid_auth');
      else {
        const wait = method === 'chat.postMessage' ? this.#postWait(args) : 0;
        if (wait > 0) return rateLimited(call, wait);
        result = { ok: true, ...run(args) };
      }
    } catch (error) {
      if (!(error instanceof SlackCodeError)) throw error;
      call.error = error.code;
      result = { ok: false, error: error.code };
    }
    return jsonReply(result);
  }

  #postMessage(p: Params) {
    const channel = this.#writable(this.#resolve(str(p, 'channel')));
    const text = str(p, 'text');
    const blocks = blocksOf(p);
    const attachments = json(p, 'attachments', 'invalid_attachments');
    if (attachments !== undefined && !Array.isArray(attachments)) fail('invalid_attachments');
    if (!text && !blocks?.length && !(attachments as unknown[] | undefined)?.length) fail('no_text');
    if (text && text.length > MAX_TEXT) fail('msg_too_long');
    const thread_ts = threadTs(p);
    const message = this.#store({
      channel: channel.id,
      channelName: channel.name,
      ts: this.#nextTs(),
      ...(thread_ts && { thread_ts, reply_broadcast: flag(p, 'reply_broadcast') }),
      text,
      blocks,
      attachments: attachments as unknown[] | undefined,
      metadata: json(p, 'metadata', 'invalid_metadata_format'),
      username: str(p, 'username'),
      icon_emoji: str(p, 'icon_emoji'),
      icon_url: str(p, 'icon_url'),
      receivedAt: new Date(this.#now()),
    });
    return { channel: channel.id, ts: message.ts, message: wireMessage(message) };
  }

  /** Seconds to wait before posting to this channel under Slack's rate limit (0: go ahead). */
  #postWait(p: Params): number {
    const ref = str(p, 'channel') ?? '';
    return this.postRateLimit.take(this.find(ref)?.id ?? ref);
  }

  #update(p: Params) {
    // chat.update takes a channel id only; a name is channel_not_found, as in Slack.
    const channel = this.#byId(str(p, 'channel'));
    const ts = str(p, 'ts');
    const message = this.messages.find((m) => m.channel === channel.id && m.ts === ts) ?? fail('message_not_found');
    const text = str(p, 'text');
    const blocks = blocksOf(p);
    const attachments = json(p, 'attachments', 'invalid_attachments') as unknown[] | undefined;
    if (text !== undefined) message.text = text;
    if (blocks !== undefined) message.blocks = blocks;
    if (attachments !== undefined) message.attachments = attachments;
    message.editedAt = new Date(this.#now());
    this.events.emit('update', message);
    return { channel: channel.id, ts: message.ts, text: message.text ?? '', message: wireMessage(message) };
  }

  #uploadUrl(p: Params) {
    const filename = str(p, 'filename') ?? fail('invalid_arguments');
    const length = Number(str(p, 'length'));
    if (!Number.isInteger(length) || length <= 0) fail('invalid_arguments');
    const id = `F${String(++this.#fileCount).padStart(10, '0')}`;
    this.#pending.set(id, { id, filename, length, alt_text: str(p, 'alt_text') });
    return { upload_url: `${this.origin}/upload/v1/${id}`, file_id: id };
  }

  /** The upload URL takes raw bytes or multipart (what @slack/web-api sends: one part named `body`). */
  async #receiveBytes(
    id: string,
    req: IncomingMessage,
    body: Buffer,
    call: SlackApiCall,
    effect: boolean,
  ): Promise<Reply> {
    call.token = bearerOf(req);
    call.params = { file_id: id };
    const pending = this.#pending.get(id);
    if (!effect) return { status: 200, body: '', headers: {} };
    if (!pending) return { status: 404, body: 'Not Found', headers: { 'content-type': 'text/plain' } };
    const form = isMultipart(req) ? await formOf(req, body) : undefined;
    const part = form ? [...form.values()].find((v) => typeof v !== 'string') : undefined;
    pending.bytes = typeof part === 'object' ? Buffer.from(await part.arrayBuffer()) : body;
    return { status: 200, body: `OK - ${pending.bytes.length}`, headers: { 'content-type': 'text/plain' } };
  }

  #completeUploads(p: Params) {
    const list = json(p, 'files', 'invalid_arguments');
    if (!Array.isArray(list) || list.length === 0) fail('invalid_arguments');
    const channelRef = str(p, 'channel_id') ?? str(p, 'channels');
    const channel = channelRef === undefined ? undefined : this.#writable(this.#byId(channelRef));
    const thread_ts = threadTs(p);
    const initial_comment = str(p, 'initial_comment');
    const uploads = (list as { id?: unknown; title?: unknown }[]).map((entry) => {
      const pending = this.#pending.get(String(entry.id));
      // Slack doesn't document the code for a file whose bytes never arrived; file_not_found is the closest.
      if (!pending?.bytes) fail('file_not_found');
      return { pending: pending!, title: typeof entry.title === 'string' ? entry.title : undefined };
    });
    const at = new Date(this.#now());
    const files = uploads.map(({ pending, title }) => {
      this.#pending.delete(pending.id);
      const file: SlackFile = {
        id: pending.id,
        filename: pending.filename,
        title,
        bytes: pending.bytes!,
        length: pending.length,
        mimetype: mimetypeOf(pending.filename),
        alt_text: pending.alt_text,
        channel: channel?.id,
        thread_ts,
        initial_comment,
        uploadedAt: at,
      };
      this.files.push(file);
      this.events.emit('file', file);
      return file;
    });
    if (channel) {
      this.#store({
        channel: channel.id,
        channelName: channel.name,
        ts: this.#nextTs(),
        ...(thread_ts && { thread_ts }),
        subtype: 'file_share',
        text: initial_comment ?? '',
        blocks: initial_comment ? undefined : blocksOf(p),
        files: files.map((f) => f.id),
        receivedAt: at,
      });
    }
    return { files: files.map((f) => wireFile(f, at)) };
  }

  #store(message: SlackMessage): SlackMessage {
    const defined = Object.fromEntries(Object.entries(message).filter(([, v]) => v !== undefined)) as SlackMessage;
    this.messages.push(defined);
    this.events.emit('message', defined);
    return defined;
  }

  /** `#name`, `name` or id, as chat.postMessage accepts. */
  #resolve(ref: string | undefined): SlackChannel {
    return (ref && this.find(ref)) || fail('channel_not_found');
  }

  #byId(id: string | undefined): SlackChannel {
    return this.channels.find((c) => c.id === id) ?? fail('channel_not_found');
  }

  #writable(channel: SlackChannel): SlackChannel {
    if (channel.archived) fail('is_archived');
    if (!channel.joined) fail('not_in_channel');
    return channel;
  }

  /** Slack timestamps are `seconds.micros`, unique and increasing within a workspace. */
  #nextTs(): string {
    this.#lastMicros = Math.max(this.#now() * 1000, this.#lastMicros + 1);
    return `${Math.floor(this.#lastMicros / 1e6)}.${String(this.#lastMicros % 1e6).padStart(6, '0')}`;
  }
}

async function decodeBody(req: IncomingMessage, body: Buffer): Promise<Params> {
  if (isJson(req)) {
    if (body.length === 0) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      fail('invalid_json');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('invalid_json');
    return parsed as Params;
  }
  if (isMultipart(req)) {
    const params: Params = {};
    for (const [key, value] of await formOf(req, body)) {
      params[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
    }
    return params;
  }
  return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
}

function isJson(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json');
}

function bearerOf(req: IncomingMessage): string | undefined {
  return /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
}

function jsonReply(result: object): Reply {
  return { status: 200, body: JSON.stringify(result), headers: { 'content-type': 'application/json; charset=utf-8' } };
}

/** Slack's answer beyond a rate limit: HTTP 429, `Retry-After` in seconds, `ratelimited`. */
function rateLimited(call: SlackApiCall, seconds: number): Reply {
  call.error = 'ratelimited';
  return {
    status: 429,
    body: JSON.stringify({ ok: false, error: 'ratelimited' }),
    headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(seconds) },
  };
}

function isMultipart(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

/** Node's own fetch Request parses multipart, so no parser dependency is needed. */
async function formOf(req: IncomingMessage, body: Buffer): Promise<FormData> {
  const request = new Request('http://local/', {
    method: 'POST',
    headers: { 'content-type': req.headers['content-type'] ?? '' },
    body,
  });
  try {
    return await request.formData();
  } catch {
    return fail('invalid_form_data');
  }
}

/** A scalar argument as a string; form bodies carry everything as strings, JSON bodies don't. */
function str(p: Params, key: string): string | undefined {
  const value = p[key];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function flag(p: Params, key: string): boolean {
  const value = p[key];
  return value === true || value === 1 || value === 'true' || value === '1';
}

/** Structured arguments arrive JSON-encoded in form bodies, as plain values in JSON bodies. */
function json(p: Params, key: string, code: string): unknown {
  const value = p[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return fail(code);
  }
}

function blocksOf(p: Params): unknown[] | undefined {
  const blocks = json(p, 'blocks', 'invalid_blocks_format');
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) fail('invalid_blocks_format');
  if ((blocks as unknown[]).length > MAX_BLOCKS) fail('invalid_blocks');
  return blocks as unknown[];
}

function threadTs(p: Params): string | undefined {
  const ts = str(p, 'thread_ts');
  // Slack rejects a malformed thread_ts; a well-formed unknown one is accepted (the reply is orphaned).
  if (ts !== undefined && !TS.test(ts)) fail('invalid_thread_ts');
  return ts;
}

function defaultError(status: number): string {
  if (status === 429) return 'ratelimited';
  return status >= 500 ? 'internal_error' : 'request_failed';
}

function permalink(channel: string, ts: string): string {
  return `https://${TEAM.domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
}

function wireChannel(c: SlackChannel) {
  return { id: c.id, name: c.name, is_channel: true, is_private: false, is_archived: c.archived, is_member: c.joined };
}

function wireMessage(m: SlackMessage) {
  return {
    type: 'message',
    ...(m.subtype && { subtype: m.subtype }),
    text: m.text ?? '',
    user: BOT.user_id,
    bot_id: BOT.bot_id,
    app_id: BOT.app_id,
    team: TEAM.id,
    ts: m.ts,
    ...(m.thread_ts && { thread_ts: m.thread_ts }),
    ...(m.blocks && { blocks: m.blocks }),
    ...(m.attachments && { attachments: m.attachments }),
    ...(m.username && { username: m.username }),
    ...(m.editedAt && { edited: { user: BOT.user_id, ts: String(m.editedAt.getTime() / 1000) } }),
  };
}

function wireFile(f: SlackFile, at: Date) {
  const created = Math.floor(at.getTime() / 1000);
  const url = `https://files.${TEAM.domain}.slack.com/files-pri/${TEAM.id}-${f.id}/${encodeURIComponent(f.filename)}`;
  return {
    id: f.id,
    created,
    timestamp: created,
    name: f.filename,
    title: f.title ?? f.filename,
    mimetype: f.mimetype,
    filetype: f.filename.includes('.') ? f.filename.split('.').pop()!.toLowerCase() : 'binary',
    user: BOT.user_id,
    size: f.bytes.length,
    is_external: false,
    url_private: url,
    url_private_download: url.replace('/files-pri/', '/files-pri/download/'),
    permalink: `https://${TEAM.domain}.slack.com/files/${BOT.user_id}/${f.id}/${encodeURIComponent(f.filename)}`,
    channels: f.channel ? [f.channel] : [],
    ...(f.alt_text && { alt_txt: f.alt_text }),
  };
}

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
};

function mimetypeOf(filename: string): string {
  const ext = filename.includes('.') ? filename.split('.').pop()!.toLowerCase() : '';
  return MIME[ext] ?? 'application/octet-stream';
}
