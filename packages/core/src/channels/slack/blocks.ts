import { canonicalUtc, utcMillis } from '../../event/time.ts';
import { SLACK_LIMITS, escapeSlack, escapeSlackVerbatim, safeHttpUrl, slackText, truncateEscaped } from '../escape.ts';

/** One Block Kit block, as sent to chat.postMessage. */
export type SlackBlock = Record<string, unknown>;

/**
 * Block builders that hold Slack's limits by construction. Names say what they take: `raw`
 * text is escaped here; `mrkdwn` is markup the caller has already built from escaped text.
 */

/** A header (plain_text, 150 characters), from raw text. */
export function header(raw: string): SlackBlock {
  return headerEscaped(escapeSlack(raw));
}

/** A header from text already escaped. */
export function headerEscaped(escaped: string): SlackBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncateEscaped(escaped, SLACK_LIMITS.headerText), emoji: true },
  };
}

/** A section of mrkdwn, cut to 3000 characters. */
export function section(mrkdwn: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncateEscaped(mrkdwn, SLACK_LIMITS.sectionText) } };
}

/** Two-column fields from label and raw value, ten to a section. */
export function fieldSections(facts: Array<{ label: string; value: string }>): SlackBlock[] {
  const fields = facts.map(({ label, value }) => {
    const title = fieldTitle(label);
    return { type: 'mrkdwn', text: title + slackText(value, SLACK_LIMITS.fieldText - title.length) };
  });
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.fieldsPerSection) {
    blocks.push({ type: 'section', fields: fields.slice(i, i + SLACK_LIMITS.fieldsPerSection) });
  }
  return blocks;
}

/** A field's bold label line, escaped once per label: facts come with a few fixed labels. */
function fieldTitle(label: string): string {
  let title = fieldTitles.get(label);
  if (title === undefined) {
    title = `*${escapeSlack(label)}*\n`;
    if (fieldTitles.size < 200) fieldTitles.set(label, title);
  }
  return title;
}

const fieldTitles = new Map<string, string>();

/** A context line (small grey text) of mrkdwn elements, at most ten. */
export function context(mrkdwn: string[]): SlackBlock {
  return {
    type: 'context',
    elements: mrkdwn
      .slice(0, SLACK_LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn', text: truncateEscaped(text, SLACK_LIMITS.sectionText) })),
  };
}

export const divider: SlackBlock = { type: 'divider' };

/**
 * A code block of raw text: escaped, cut to fit, and with any ``` inside broken up so the
 * message's text cannot close the block early and turn the rest into markup.
 */
export function codeBlock(raw: string, max: number): string {
  const unfenced = raw.trimEnd().replace(/`{3,}/g, (run) => run.split('').join('\u200b'));
  return `\`\`\`\n${truncateEscaped(escapeSlackVerbatim(unfenced), max - 8)}\n\`\`\``;
}

/**
 * A mrkdwn link to an http(s) URL, or null for any other URL. A link, not a button: a URL
 * button sends an interaction to the app, and without an interactivity endpoint Slack shows a
 * warning after each click. `|`, `<` and `>` would end the link token, so they are
 * percent-encoded; `&` stays as is, since Slack does not decode entities in link targets.
 */
export function link(url: string | null, label: string): string | null {
  const safe = safeHttpUrl(url);
  if (!safe || safe.length > SLACK_LIMITS.buttonUrl) return null;
  const target = LINK_BREAKERS.test(safe) ? safe.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E') : safe;
  return `<${target}|${escapeSlack(label)}>`;
}

const LINK_BREAKERS = /[|<>]/;

/**
 * A Slack date token that shows the time in each reader's own time zone, with the UTC time
 * as its fallback text.
 */
export function slackDate(iso: string): string {
  // Events carry canonical times: read without Date.parse and print without a Date.
  const canonical = canonicalUtc(iso);
  const ms = canonical !== undefined ? utcMillis(canonical) : Date.parse(iso);
  if (Number.isNaN(ms)) return escapeSlack(iso);
  const fallback = `${(canonical ?? new Date(ms).toISOString()).slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}
