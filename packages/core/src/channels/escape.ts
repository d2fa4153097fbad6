/**
 * Escaping and length limits for text taken from AWS messages. Everything a message carries
 * (budget and alarm names, reasons, raw text, account and service names) passes through here
 * before it reaches Slack or an email.
 */

/**
 * Slack's documented limits (docs.slack.dev, Block Kit reference: header, section, context,
 * button; chat.postMessage). Exceeding one makes Slack reject the whole message (`invalid_blocks`).
 */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  blocksPerMessage: 50,
  contextElements: 10,
  buttonText: 75,
  buttonUrl: 3000,
  /**
   * Slack truncates a message's `text` past 40,000 characters, but notifications and screen
   * readers need far less; we keep the fallback well below 4,000 (the old per-message limit).
   */
  messageText: 4000,
} as const;

/**
 * Escapes Slack's three control characters, so text from a message can never form a mention
 * (`<!channel>`, `<@U123>`), a link or a date token. Slack decodes these entities for display
 * and never re-reads the result as a token. Used for mrkdwn and plain_text alike: Slack's
 * formatting reference names `&`, `<` and `>` as control characters of every text object, and
 * stores plain_text entity-encoded, so escaped text displays as the original characters.
 * Also removes control and bidi characters (NUL, ESC, U+202E …), and neutralises mrkdwn
 * formatting and bare links the text would otherwise make (see `neutraliseMrkdwn`).
 * @example escapeSlack('<!channel> & co') // '&lt;!channel&gt; &amp; co'
 */
export function escapeSlack(text: string): string {
  return escapeSlackVerbatim(neutraliseMrkdwn(stripControls(text)));
}

/**
 * `escapeSlack` for text shown verbatim in a code block, where Slack applies no formatting and
 * makes no links: the three entities and no control characters, the rest as written.
 */
export function escapeSlackVerbatim(text: string): string {
  // Most text has none of the three: `includes` says so faster than a regex, and far faster than
  // replacements that change nothing. `&` goes first, so the entities added are not escaped again.
  let escaped = stripControls(text);
  if (escaped.includes('&')) escaped = escaped.replace(/&/g, '&amp;');
  if (escaped.includes('<')) escaped = escaped.replace(/</g, '&lt;');
  if (escaped.includes('>')) escaped = escaped.replace(/>/g, '&gt;');
  return escaped;
}

/** Look-alikes for mrkdwn's formatting characters: shown the same, never read as formatting. */
const MRKDWN_LOOKALIKE: Record<string, string> = { '*': '\u2217', _: '\u02cd', '~': '\u223c', '`': '\u02cb' };

/** A formatting character Slack could read as markup: any backtick, the others unless inside a word. */
const MRKDWN_SPECIAL = /`|(?<![\p{L}\p{N}])[*_~]|[*_~](?![\p{L}\p{N}])/gu;

/** A URL or a bare domain Slack would turn into a link: `https://evil.example/x`, `evil.example`. */
const LINKABLE = /\b(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}\b/gi;

/**
 * Makes text from a message inert as mrkdwn: `*bold*`, `_italic_`, `~strike~` and `` `code` ``
 * become look-alike characters, and a URL or domain name loses the dots and `//` that would make
 * Slack link it (`evil․example`, `https:∕∕…`). Links the renderer writes itself are built apart.
 * @example neutraliseMrkdwn('*urgent* see https://evil.example') // '∗urgent∗ see https:∕∕evil․example'
 */
export function neutraliseMrkdwn(text: string): string {
  let out = text;
  if (/[*_~`]/.test(out)) out = out.replace(MRKDWN_SPECIAL, (c) => MRKDWN_LOOKALIKE[c] ?? c);
  if (out.includes('.'))
    out = out.replace(LINKABLE, (link) => link.replace(/\/\//g, '\u2215\u2215').replace(/\./g, '\u2024'));
  return out;
}

/**
 * Escapes text for HTML element content and quoted attribute values.
 * @example escapeHtml('<script>"x"</script>') // '&lt;script&gt;&quot;x&quot;&lt;/script&gt;'
 */
export function escapeHtml(text: string): string {
  if (!HTML_SPECIAL.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const HTML_SPECIAL = /[&<>"']/;

/**
 * Cuts text to at most `max` UTF-16 units (the unit Slack's limits are checked in, and never
 * fewer than characters), ending with `…`; never splits a surrogate pair.
 * @example truncate('abcdef', 4) // 'abc…'
 */
export function truncate(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  if (max <= ellipsis.length) return ellipsis.slice(0, Math.max(0, max));
  let cut = max - ellipsis.length;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return text.slice(0, cut) + ellipsis;
}

/**
 * Cuts already escaped text to `max` without leaving half an entity (`&am…`), which Slack and
 * browsers would show as garbage.
 */
export function truncateEscaped(escaped: string, max: number, ellipsis = '…'): string {
  const cut = truncate(escaped, max, ellipsis);
  if (cut === escaped) return cut;
  const body = cut.slice(0, cut.length - ellipsis.length);
  return body.replace(/&[#a-z0-9]*$/i, '') + ellipsis;
}

/**
 * Escapes message text for Slack and fits it to a limit: escaping first, so the limit holds for
 * what Slack counts.
 * @example slackText('<!here> now', 12) // '&lt;!here…' (never '&lt;!here&g…')
 */
export function slackText(raw: string, max: number): string {
  return truncateEscaped(escapeSlack(raw), max);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds.
const LINE_BREAKS_AND_CONTROLS = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/** Removes line breaks, control and bidi characters and collapses spaces: for email subjects and one-line labels. */
export function singleLine(text: string): string {
  return stripControls(text.replace(LINE_BREAKS_AND_CONTROLS, ' ')).replace(/\s+/g, ' ').trim();
}

/**
 * The URL when it is an absolute http(s) URL, else null: a link taken from a message must not
 * become `javascript:` or `data:` in an email or a button.
 */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * Characters that change what a terminal or a reader sees rather than being seen: C0 controls but
 * tab and line feed (ESC starts colour, cursor and OSC-8 hyperlink sequences; CR rewrites the
 * line), DEL, C1 controls (U+009B is an 8-bit CSI), bidirectional overrides, embeddings, isolates
 * and marks (U+202E reverses the rest of the line), and the Unicode line and paragraph separators.
 */
const INVISIBLE_CONTROLS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds.
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * Makes control and bidi characters visible as `\uXXXX`, for text printed to a terminal. Inside a
 * JSON string the result is the same string (a valid escape); in plain text it shows what was there.
 * @example terminalSafe('ok\u001b[2K\rfake') // 'ok\\u001b[2K\\u000dfake'
 */
export function terminalSafe(text: string): string {
  INVISIBLE_CONTROLS.lastIndex = 0;
  if (!INVISIBLE_CONTROLS.test(text)) return text;
  return text.replace(INVISIBLE_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Removes control and bidi characters (see `terminalSafe`), for text shown to people in Slack or a subject. */
export function stripControls(text: string): string {
  INVISIBLE_CONTROLS.lastIndex = 0;
  return INVISIBLE_CONTROLS.test(text) ? text.replace(INVISIBLE_CONTROLS, '') : text;
}
