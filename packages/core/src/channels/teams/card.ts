/**
 * Adaptive Card building blocks for Teams, and the escaping of message text in them. Teams renders
 * a TextBlock's text as a subset of Markdown (bold, italic, lists, links): text taken from an AWS
 * message is backslash-escaped so it can never form a link, a list or emphasis, and control and
 * bidirectional-override characters are dropped.
 */

export type CardElement = Record<string, unknown>;

/** What a Teams Workflows webhook takes: a message with one Adaptive Card attachment. */
export interface TeamsMessage {
  type: 'message';
  /**
   * What the message is about, for the flow: a Workflows flow can branch on it (post digests to
   * another channel, say). Teams shows only the card. Event ids, never message text.
   */
  spendAlerts: TeamsMessageInfo;
  attachments: Array<{
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: AdaptiveCard;
  }>;
}

export interface TeamsMessageInfo {
  kind: 'alert' | 'digest';
  receiver: string;
  eventIds: string[];
  /** The digest period's key, for digests. */
  period?: string;
}

export interface AdaptiveCard {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  type: 'AdaptiveCard';
  /** 1.4: what Teams renders on desktop, web and mobile alike. */
  version: '1.4';
  msteams: { width: 'Full' };
  body: CardElement[];
  actions: CardElement[];
}

/** Teams rejects messages above about 28 KB; the card keeps far below, leaving room for the envelope. */
export const TEAMS_LIMITS = { title: 200, text: 2000, factValue: 500, facts: 12, listed: 25, card: 20_000 } as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g;

/** Escapes the Markdown Teams reads in a TextBlock, drops control characters, and cuts to `max` characters. */
export function teamsText(raw: string, max: number = TEAMS_LIMITS.text): string {
  const clean = raw.replace(CONTROL, '');
  const cut = clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
  return cut
    .replace(/[\\*_[\]()`~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+#>])/gm, '$1\\$2')
    .replace(/^(\s*)(\d+)\./gm, '$1$2\\.');
}

export function textBlock(text: string, style: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...style };
}

export function factSet(facts: Array<{ label: string; value: string }>): CardElement {
  return {
    type: 'FactSet',
    facts: facts
      .slice(0, TEAMS_LIMITS.facts)
      .map((f) => ({ title: teamsText(f.label, 80), value: teamsText(f.value, TEAMS_LIMITS.factValue) })),
  };
}

/**
 * An "open" button, for https links only (a console link from a message is never anything else),
 * refused when it holds whitespace or control characters, and normalized as a URL.
 */
export function openUrl(url: string | null, title: string): CardElement[] {
  if (!url || !/^https:\/\//.test(url) || url.length > 2000 || /[\s\p{Cc}\u2028-\u202e\u2066-\u2069]/u.test(url))
    return [];
  try {
    return [{ type: 'Action.OpenUrl', title, url: new URL(url).href }];
  } catch {
    return [];
  }
}

/** The message Teams takes, around one card. */
export function teamsMessage(info: TeamsMessageInfo, body: CardElement[], actions: CardElement[] = []): TeamsMessage {
  return {
    type: 'message',
    spendAlerts: info,
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          actions,
        },
      },
    ],
  };
}
