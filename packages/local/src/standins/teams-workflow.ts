/**
 * A local Teams Workflows webhook: the endpoint a "Post to a channel when a webhook request is
 * received" flow gives, which records every card it accepts, so the summary and the dashboard can
 * see what a Teams channel would show. Like the real one it answers 202, and 401 to a request
 * whose `sig` is not the flow's.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultPlan, faultHeaders, readBody, replacesResponse, send, stall, startLocalServer } from './http.ts';

/** One card the flow accepted (or refused). */
export interface TeamsPost {
  receivedAt: Date;
  /** The flow's name, from its URL (`/workflows/<name>/…`). */
  workflow: string;
  /** The message as posted; null when it was not a Teams message with an Adaptive Card. */
  message: {
    spendAlerts?: { kind?: string; receiver?: string; eventIds?: string[]; period?: string };
    attachments: Array<{ contentType: string; content: { type: string; body: Array<Record<string, unknown>> } }>;
  } | null;
  bytes: number;
  status: number;
}

export interface TeamsWorkflows {
  readonly origin: string;
  readonly posts: TeamsPost[];
  readonly faults: FaultPlan;
  /** The HTTP POST URL of a flow, as Teams shows it once the flow is saved (its `sig` lets anyone post). */
  urlOf(workflow: string): string;
  onPost(listener: (post: TeamsPost) => void): () => void;
  reset(): void;
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1; any flow name is accepted, each with its own signature. */
export async function startTeamsWorkflows(options: { port?: number } = {}): Promise<TeamsWorkflows> {
  const sig = randomBytes(24).toString('base64url');
  const posts: TeamsPost[] = [];
  const faults = new FaultPlan();
  const listeners = new Set<(post: TeamsPost) => void>();

  async function serve(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, '', { allow: 'POST' });
    const url = new URL(req.url ?? '/', 'http://local');
    const workflow = /^\/workflows\/([^/]+)\/triggers\/manual\/paths\/invoke$/.exec(url.pathname)?.[1];
    if (!workflow) return send(res, 404, 'no such workflow');
    if (url.searchParams.get('sig') !== sig) return send(res, 401, 'the request is not authorized');
    const body = await readBody(req, 1024 * 1024);
    const message = teamsMessage(body.toString('utf8'));
    const post: TeamsPost = { receivedAt: new Date(), workflow, message, bytes: body.length, status: 0 };
    const fault = faults.take(url.pathname);
    if (!(await stall(fault?.stallMs ?? 0, signal))) return;
    if (replacesResponse(fault)) {
      post.status = fault.status ?? 200;
      send(res, post.status, fault.body ?? '', faultHeaders(fault));
    } else {
      post.status = message ? 202 : 400;
      send(res, post.status, message ? '' : 'the body is not a message with an Adaptive Card');
    }
    posts.push(post);
    for (const listener of listeners) listener(post);
  }

  const server = await startLocalServer(serve, options.port);
  return {
    origin: server.origin,
    posts,
    faults,
    urlOf: (workflow) =>
      `${server.origin}/workflows/${encodeURIComponent(workflow)}/triggers/manual/paths/invoke?api-version=1&sig=${sig}`,
    onPost(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reset() {
      posts.length = 0;
      faults.clear();
    },
    close: () => server.close(),
  };
}

/** The body as a Teams message with an Adaptive Card attachment, or null. */
function teamsMessage(body: string): TeamsPost['message'] {
  try {
    const parsed = JSON.parse(body) as TeamsPost['message'];
    const card = parsed?.attachments?.[0];
    return parsed &&
      (parsed as { type?: string }).type === 'message' &&
      card?.contentType === 'application/vnd.microsoft.card.adaptive' &&
      card.content?.type === 'AdaptiveCard' &&
      Array.isArray(card.content.body)
      ? parsed
      : null;
  } catch {
    return null;
  }
}
