/**
 * Any input, all the way to what each channel would send: unwrap, normalize, route, and render for
 * Slack, email, webhooks and Teams, with the checks that must hold whatever the input was. Shared by the
 * bad-input suite (a few thousand cases) and the bench (100,000).
 */
import fc from 'fast-check';
import {
  loadConfig,
  readInput,
  renderEmail,
  renderSlackMessage,
  renderTeamsMessage,
  renderWebhookPayload,
  routeEvent,
  sampleEnrichment,
  SpendEventSchema,
  WebhookPayloadSchema,
  directoryOf,
  type EmailReceiver,
  type Notification,
  type SlackReceiver,
  type SpendEvent,
  type TeamsMessage,
  type TeamsReceiver,
  type WebhookReceiver,
} from '@spend-alerts/core';
import { messageFixtures, SOURCE_FOLDERS } from '../fixtures/load.ts';

/** Receivers with every option that puts more of the message on the wire (raw text, breakdowns). */
export const CONFIG = loadConfig(
  `
version: 1
accounts:
  "123456789012": { name: production }
slack: { tokenSecret: SlackBotToken }
email: { from: alerts@example.com }
receivers:
  - { name: ops, type: slack, channel: "#finops-alerts" }
  - { name: mail, type: email, to: [ops@example.com] }
  - { name: hook, type: webhook, url: "https://hooks.example.com/x", signingSecret: HookSecret, includeRaw: true }
  - { name: teams, type: teams, urlSecret: TeamsUrl }
route:
  receiver: ops
  routes:
    - { receiver: hook, continue: true }
    - { receiver: mail, continue: true }
    - { receiver: ops }
`,
  'bad-input config',
);
const receiver = <T extends 'slack' | 'email' | 'webhook' | 'teams'>(type: T) =>
  CONFIG.receivers.find((r) => r.type === type)!;
const SLACK = receiver('slack') as SlackReceiver;
const EMAIL = receiver('email') as EmailReceiver;
const WEBHOOK = receiver('webhook') as WebhookReceiver;
const TEAMS = receiver('teams') as TeamsReceiver;
const ACCOUNTS = directoryOf(CONFIG);
const NOW = new Date('2026-06-15T10:00:00Z');

/** Slack's hard limits (chat.postMessage, Block Kit): past them Slack rejects the whole message. */
const SLACK_MAX_TEXT = 40_000;
const SLACK_MAX_BLOCKS = 50;
const SLACK_MAX_SECTION = 3000;
const SLACK_MAX_HEADER = 150;

export interface Rendered {
  events: SpendEvent[];
  slack: Array<ReturnType<typeof renderSlackMessage>>;
  email: Array<ReturnType<typeof renderEmail>>;
  webhook: Array<ReturnType<typeof renderWebhookPayload>>;
  teams: TeamsMessage[];
}

/** Reads any input and renders each event for every channel, with and without a cost breakdown. */
export function renderAll(input: unknown): Rendered {
  const { events } = readInput(input, { now: () => NOW });
  const out: Rendered = { events, slack: [], email: [], webhook: [], teams: [] };
  for (const event of events) {
    const parsed = SpendEventSchema.safeParse(event);
    if (!parsed.success) throw new Error(`invalid event: ${parsed.error.message.slice(0, 500)}`);
    routeEvent(event, CONFIG);
    for (const enrichment of [null, sampleEnrichment(event)]) {
      const one = <R extends SlackReceiver | EmailReceiver | WebhookReceiver | TeamsReceiver>(
        r: R,
      ): Notification<R> => ({
        events: [{ event, enrichment }],
        receiver: r,
        route: 'route',
        groupKey: '{}',
      });
      out.slack.push(renderSlackMessage(one(SLACK), { accounts: ACCOUNTS, now: NOW }));
      out.email.push(renderEmail(one(EMAIL), { accounts: ACCOUNTS, now: NOW }));
      out.webhook.push(renderWebhookPayload(one(WEBHOOK), { accounts: ACCOUNTS, now: NOW }));
      out.teams.push(renderTeamsMessage(one(TEAMS), { accounts: ACCOUNTS, now: NOW }));
    }
  }
  if (events.length > 1) {
    // A group of them, as noise control gathers a burst.
    const all = events.map((event) => ({ event, enrichment: null }));
    out.slack.push(
      renderSlackMessage(
        { events: all, receiver: SLACK, route: 'route', groupKey: '{}' },
        { accounts: ACCOUNTS, now: NOW },
      ),
    );
    out.email.push(
      renderEmail({ events: all, receiver: EMAIL, route: 'route', groupKey: '{}' }, { accounts: ACCOUNTS, now: NOW }),
    );
    out.teams.push(
      renderTeamsMessage({ events: all, receiver: TEAMS, route: 'route', groupKey: '{}' }, { accounts: ACCOUNTS }),
    );
  }
  return out;
}

/**
 * Slack tokens the renderers may produce themselves: links to http(s) URLs (with `|`, `<`, `>`
 * percent-encoded) and date tokens. Anything else between `<` and `>` would be a mention
 * (`<!channel>`, `<@U…>`, `<#C…>`) or a link the message smuggled in.
 */
const ALLOWED_SLACK_TOKEN = /<https?:\/\/[^|<>\s]+\|[^<>]*>|<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^<>]*>/g;

/** Every string in a value, with its path. */
function strings(value: unknown, path = '$', out: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) strings(v, `${path}[${i}]`, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) strings(v, `${path}.${k}`, out);
  return out;
}

/** Tags the email template writes; any other tag came from the message. */
const EMAIL_TAGS = new Set([
  '!doctype',
  'html',
  'head',
  'meta',
  'title',
  'body',
  'div',
  'table',
  'tr',
  'td',
  'th',
  'h1',
  'h2',
  'p',
  'ul',
  'li',
  'pre',
  'a',
  'span',
  'strong',
  'b',
  'br',
  'small',
  'code',
  'tbody',
  'thead',
  'img',
]);

/**
 * What must hold for any input: no Slack mention or link the message did not come with as a safe
 * URL, Slack's limits kept, no tag, attribute or script in the email HTML that the template did not
 * write, a one-line subject, and a webhook payload that matches its published schema.
 * Throws with the reason.
 */
export function assertSafe(r: Rendered): void {
  for (const event of r.events) {
    if (event.consoleUrl === null) continue;
    const host = new URL(event.consoleUrl).hostname;
    if (!/(^|\.)(console\.aws\.amazon\.com|console\.amazonaws\.cn)$/.test(host))
      throw new Error(`console link to ${host}`);
  }
  for (const message of r.slack) {
    if (message.text.length > SLACK_MAX_TEXT) throw new Error(`Slack text of ${message.text.length} characters`);
    if (message.blocks.length > SLACK_MAX_BLOCKS) throw new Error(`${message.blocks.length} Slack blocks`);
    for (const [path, text] of strings(message)) {
      const rest = text.replace(ALLOWED_SLACK_TOKEN, '');
      if (/[<>]/.test(rest))
        throw new Error(`unescaped < or > in Slack ${path}: ${JSON.stringify(text.slice(0, 300))}`);
      if (CONTROLS.test(text)) throw new Error(`a control or bidi character in Slack ${path}`);
      // A code block shows the message verbatim (Slack formats nothing there); elsewhere no link of its own.
      if (/evil\.example/.test(rest.replace(/```[\s\S]*?```/g, '')))
        throw new Error(`a linkable evil.example in Slack ${path}`);
      if (path.endsWith('.text') && /\.blocks\[\d+\]\.text\.text$/.test(path) && text.length > SLACK_MAX_SECTION)
        throw new Error(`Slack ${path} has ${text.length} characters`);
    }
    for (const block of message.blocks as Array<{ type: string; text?: { text: string } }>) {
      if (block.type === 'header' && (block.text?.text.length ?? 0) > SLACK_MAX_HEADER)
        throw new Error(`Slack header of ${block.text!.text.length} characters`);
    }
  }
  for (const email of r.email) {
    if (/[\r\n]/.test(email.subject)) throw new Error(`line break in the subject: ${JSON.stringify(email.subject)}`);
    if (CONTROLS.test(email.subject)) throw new Error(`a control or bidi character in the subject`);
    for (const m of email.html.matchAll(/<\/?([!a-zA-Z][a-zA-Z0-9]*)/g)) {
      if (!EMAIL_TAGS.has(m[1]!.toLowerCase())) throw new Error(`tag <${m[1]}> in the email HTML`);
    }
    if (/<[^>]*\son[a-z]+\s*=/i.test(email.html)) throw new Error('an event-handler attribute in the email HTML');
    for (const m of email.html.matchAll(/\shref="([^"]*)"/g)) {
      if (!/^https?:\/\//.test(m[1]!)) throw new Error(`href ${m[1]} in the email HTML`);
    }
    // Inside a tag, a quote that closes an attribute early would leave the rest of the value as markup.
    for (const tag of email.html.match(/<[a-zA-Z][^>]*>/g) ?? []) {
      const unquoted = tag.replace(/="[^"]*"/g, '=Q');
      if (/["'<]/.test(unquoted.slice(1))) throw new Error(`broken attribute in ${tag.slice(0, 200)}`);
    }
  }
  for (const payloads of r.webhook) {
    for (const payload of payloads) {
      const json = JSON.stringify(payload);
      const parsed = WebhookPayloadSchema.safeParse(JSON.parse(json));
      if (!parsed.success)
        throw new Error(`webhook payload does not match its schema: ${parsed.error.message.slice(0, 300)}`);
    }
  }
  for (const message of r.teams) {
    const size = JSON.stringify(message).length;
    if (size > TEAMS_MAX_CARD) throw new Error(`Teams message of ${size} characters`);
    for (const [path, text] of strings(message.attachments)) {
      if (/[\p{Cc}\u202a-\u202e]/u.test(text.replace(/[\n\t]/g, '')))
        throw new Error(`a control character in Teams ${path}`);
      // A Markdown link or emphasis needs an unescaped [ or *: every one from the message is escaped.
      // The renderer's own headings are whole bold lines (`**Top services**`).
      if (path.endsWith('.text') && !TEAMS_HEADING.test(text) && /(^|[^\\])(\\\\)*[[*]/.test(text))
        throw new Error(`unescaped Markdown in Teams ${path}: ${JSON.stringify(text.slice(0, 300))}`);
    }
    for (const action of message.attachments[0]!.content.actions as Array<{ url?: string }>) {
      if (!/^https:\/\//.test(action.url ?? '')) throw new Error(`Teams button to ${action.url}`);
    }
  }
}

/** Teams refuses messages of about 28 KB: the renderer keeps far below, envelope included. */
const TEAMS_MAX_CARD = 24_000;
const TEAMS_HEADING = /^\*\*[A-Za-z ]+\*\*$/;

// ---- inputs ------------------------------------------------------------------------------------

const fixtures = messageFixtures(...SOURCE_FOLDERS);
export const FIXTURE_TEXTS = fixtures.map((f) => f.text);
export const JSON_FIXTURES = fixtures
  .filter((f) => f.text.trimStart().startsWith('{'))
  .map((f) => ({ name: f.name, value: JSON.parse(f.text) as unknown }));
export const TEXT_FIXTURES = fixtures.filter((f) => !f.text.trimStart().startsWith('{'));

/** Strings meant to break out of Slack mrkdwn, HTML, attributes, headers or JSON. */
export const INJECTIONS = [
  '<!channel>',
  '<!here|here>',
  '<!everyone>',
  '<@U012ABCDEF>',
  '<#C012ABCDEF|general>',
  '<!subteam^S012ABCDEF>',
  '<https://evil.example/phish|Open in the AWS console →>',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  'javascript:alert(1)',
  '</td></tr></table><h1>owned</h1>',
  '```\n<!channel>\n```',
  '*bold* _it_ ~strike~ `code`',
  '&lt;!channel&gt;',
  'line\r\nBcc: attacker@example.com',
  '\u202egnp.exe',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder an attacker might write, kept as text.
  '{{webhookUrl}} ${process.env.SECRET}',
  '\\u003c!channel\\u003e',
  'team https://evil.example/console.aws.amazon.com/login',
  '[1] https://console.aws.amazon.com.evil.example/budgets',
  'nul\u0000 esc\u001b[2K\rfake \u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007 c1\u009b2J \u2066iso\u2069',
  'x'.repeat(3100),
];

/** What no human-readable output may carry: C0 (but tab and newline), DEL, C1 and bidi controls. */
const CONTROLS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds.
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** Every string leaf of a JSON value, as a path of keys. */
export function stringLeaves(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

/** A copy of `value` with the string at `path` replaced (or appended to, keeping the message recognizable). */
export function withLeaf(
  value: unknown,
  path: Array<string | number>,
  injection: string,
  mode: 'replace' | 'append',
): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  parent[last] = mode === 'replace' ? injection : `${String(parent[last])}${injection}`;
  return copy;
}

/** A budget text with an injection in one of its lines (the value after the colon, or the prose). */
export function injectIntoText(text: string, lineIndex: number, injection: string): string {
  const lines = text.split('\n');
  const i = lineIndex % lines.length;
  const line = lines[i]!;
  const colon = line.indexOf(': ');
  lines[i] = colon >= 0 ? `${line.slice(0, colon + 2)}${injection}${line.slice(colon + 2)}` : `${line}${injection}`;
  return lines.join('\n');
}

/** The envelopes a message may arrive in. */
export const ENVELOPES: Array<(m: string) => unknown> = [
  (m) => m,
  (m) =>
    JSON.stringify({
      Type: 'Notification',
      MessageId: 'm-1',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:SpendEvents',
      Subject: 'ALARM: <!channel>',
      Message: m,
      Timestamp: '2026-06-15T10:00:00.000Z',
    }),
  (m) => ({
    Records: [{ messageId: '1', eventSource: 'aws:sqs', body: m, attributes: { ApproximateReceiveCount: '1' } }],
  }),
  (m) => ({
    Records: [
      {
        EventSource: 'aws:sns',
        Sns: { Type: 'Notification', MessageId: 'y', TopicArn: 't', Subject: '<script>x</script>', Message: m },
      },
    ],
  }),
  (m) => ({
    version: '0',
    id: 'e',
    'detail-type': 'Anomaly Detected',
    source: 'aws.ce',
    account: '123456789012',
    region: 'us-east-1',
    time: '2026-06-15T10:00:00Z',
    detail: safeJson(m),
  }),
];

function safeJson(m: string): unknown {
  try {
    return JSON.parse(m);
  } catch {
    return m;
  }
}

const injection = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.string({ maxLength: 60 }),
  fc.string({ maxLength: 30, unit: 'binary' }),
);

/** A real message with an injection (or arbitrary text) in one field, in any envelope. */
export const injectedMessage: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.oneof(
      fc.tuple(fc.constantFrom(...JSON_FIXTURES), fc.nat(), injection, fc.boolean()).map(([f, n, inj, replace]) => {
        const leaves = stringLeaves(f.value);
        return JSON.stringify(
          leaves.length ? withLeaf(f.value, leaves[n % leaves.length]!, inj, replace ? 'replace' : 'append') : f.value,
        );
      }),
      fc
        .tuple(fc.constantFrom(...TEXT_FIXTURES), fc.nat(), injection)
        .map(([f, n, inj]) => injectIntoText(f.text, n, inj)),
    ),
    fc.nat({ max: ENVELOPES.length - 1 }),
  )
  .map(([m, e]) => ENVELOPES[e]!(m));

/** Anything: arbitrary text and JSON, mutated real messages, in any envelope. */
export const anyInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...FIXTURE_TEXTS),
        fc.nat(),
        fc.nat({ max: 40 }),
        fc.string({ maxLength: 20, unit: 'binary' }),
      )
      .map(([text, at, len, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + len);
      }),
  },
  { weight: 4, arbitrary: injectedMessage },
);
