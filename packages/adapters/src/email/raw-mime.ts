import { createHash } from 'node:crypto';

/**
 * Builds the raw MIME message SES's `Content.Raw` takes, for emails that carry an inline image
 * (`Content.Simple` cannot set a Content-ID). Pure: same input, same bytes; boundaries and the
 * Message-ID are derived from the content, not from a random source.
 *
 * Layout (RFC 2387, RFC 2046): with inline images, multipart/related holding multipart/alternative
 * (text, then HTML: clients show the last part they understand) and each image with its Content-ID;
 * without images, the multipart/alternative alone.
 */

/** An image the HTML refers to as `cid:<contentId>`. */
export interface InlineImage {
  /** Without angle brackets: `spend-chart`. */
  contentId: string;
  contentType: string;
  filename: string;
  content: Uint8Array;
}

export interface RawEmail {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  date: Date;
  /** Without angle brackets. Default: derived from the content, at the sender's domain. */
  messageId?: string;
  text: string;
  html: string;
  inline?: InlineImage[];
  /** Extra headers (`X-…`), ASCII. */
  headers?: Array<[name: string, value: string]>;
}

const CRLF = '\r\n';
/** RFC 2045: encoded lines are at most 76 characters. */
const LINE = 76;
/** RFC 2047: an encoded-word is at most 75 characters; `=?UTF-8?B?` and `?=` take 12 of them. */
const WORD_BYTES = 45;

/**
 * The message as bytes, CRLF line endings, every line within SMTP's limits.
 * @example await ses.send(new SendEmailCommand({ Content: { Raw: { Data: buildRawEmail(email) } } }))
 */
export function buildRawEmail(email: RawEmail): Buffer {
  const digest = createHash('sha256')
    .update(email.subject)
    .update(email.text)
    .update(email.html)
    .update(email.date.toISOString())
    .update(email.to.join(','));
  for (const image of email.inline ?? []) digest.update(image.contentId).update(image.content);
  const hash = digest.digest('hex').slice(0, 24);
  // "=_" cannot occur in quoted-printable or base64 output, so these never collide with a body.
  const altBoundary = `=_sa_alt_${hash}`;
  const relBoundary = `=_sa_rel_${hash}`;
  const domain = email.from.slice(email.from.lastIndexOf('@') + 1) || 'localhost';

  const headers: string[] = [
    header('From', email.from),
    header('To', email.to.join(', ')),
    ...(email.cc?.length ? [header('Cc', email.cc.join(', '))] : []),
    `Subject: ${encodeHeaderText(email.subject, 'Subject: '.length)}`,
    header('Date', rfc5322Date(email.date)),
    header('Message-ID', `<${email.messageId ?? `${hash}@${domain}`}>`),
    'MIME-Version: 1.0',
    ...(email.headers ?? []).map(([name, value]) => header(name, value)),
  ];

  const alternative = [
    `--${altBoundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(email.text),
    `--${altBoundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(email.html),
    `--${altBoundary}--`,
  ].join(CRLF);
  const alternativeType = `multipart/alternative;${CRLF} boundary="${altBoundary}"`;

  const inline = email.inline ?? [];
  if (!inline.length)
    return Buffer.from([...headers, `Content-Type: ${alternativeType}`, '', alternative, ''].join(CRLF), 'utf8');

  const parts = [`--${relBoundary}`, `Content-Type: ${alternativeType}`, '', alternative];
  for (const image of inline) {
    const name = safeFilename(image.filename);
    parts.push(
      `--${relBoundary}`,
      `Content-Type: ${headerValue(image.contentType)}; name="${name}"`,
      'Content-Transfer-Encoding: base64',
      `Content-ID: <${headerValue(image.contentId)}>`,
      `Content-Disposition: inline; filename="${name}"`,
      '',
      base64Lines(image.content),
    );
  }
  parts.push(`--${relBoundary}--`);
  return Buffer.from(
    [
      ...headers,
      `Content-Type: multipart/related;${CRLF} boundary="${relBoundary}";${CRLF} type="multipart/alternative"`,
      '',
      ...parts,
      '',
    ].join(CRLF),
    'utf8',
  );
}

/**
 * Quoted-printable (RFC 2045 §6.7) of UTF-8 text: line breaks become CRLF, lines are soft-broken
 * at 76 characters (HTML renderers emit lines far longer than SMTP's 998), and `=`, control
 * characters, non-ASCII bytes and whitespace before a line break are escaped.
 */
export function quotedPrintable(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const chars = [...line];
      const out: string[] = [];
      let current = '';
      chars.forEach((char, i) => {
        const last = i === chars.length - 1;
        const code = char.codePointAt(0)!;
        const literal = (code >= 33 && code <= 126 && code !== 61) || ((code === 32 || code === 9) && !last);
        // A character's escapes stay on one line: some clients mis-decode a UTF-8 sequence split by a soft break.
        const token = literal
          ? char
          : [...Buffer.from(char, 'utf8')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
        // Leave room for the soft break's "=".
        if (current && current.length + token.length > LINE - 1) {
          out.push(`${current}=`);
          current = '';
        }
        current += token;
      });
      out.push(current);
      return out.join(CRLF);
    })
    .join(CRLF);
}

/** Base64 in lines of 76 characters. */
export function base64Lines(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += LINE) lines.push(b64.slice(i, i + LINE));
  return lines.join(CRLF);
}

/**
 * Header text: as is when it is plain ASCII (folded at spaces to keep lines short), else RFC 2047
 * encoded-words of whole characters, one per folded line. `offset` is the length of `Name: `.
 */
export function encodeHeaderText(value: string, offset = 0): string {
  const text = value.replace(/[\r\n]+/g, ' ');
  // "=?" in plain text would be read as the start of an encoded-word: encode it too.
  if (/^[\x20-\x7e]*$/.test(text) && !text.includes('=?')) return fold(text, offset);
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, 'utf8') > WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

/** `Wed, 15 May 2026 06:05:00 +0000` (RFC 5322 §3.3; "GMT" is obsolete syntax). */
export function rfc5322Date(date: Date): string {
  const [weekday, day, month, year, time] = date.toUTCString().replace(',', '').split(' ');
  return `${weekday}, ${day} ${month} ${year} ${time} +0000`;
}

function header(name: string, value: string): string {
  return `${name}: ${fold(headerValue(value), name.length + 2)}`;
}

/** Header values come from validated config, but a line break must never start a new header. */
function headerValue(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

function safeFilename(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Folds at spaces so lines stay near 78 characters (a word longer than that stays whole). */
function fold(text: string, offset: number): string {
  const words = text.split(' ');
  let line = words.shift() ?? '';
  let length = offset + line.length;
  const lines: string[] = [];
  for (const word of words) {
    if (length + 1 + word.length > 78) {
      lines.push(line);
      line = word;
      length = 1 + word.length;
    } else {
      line += ` ${word}`;
      length += 1 + word.length;
    }
  }
  lines.push(line);
  return lines.join(`${CRLF} `);
}
