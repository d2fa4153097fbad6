import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  base64Lines,
  buildRawEmail,
  encodeHeaderText,
  quotedPrintable,
  rfc5322Date,
  type RawEmail,
} from './raw-mime.ts';

/** Decoders written from the RFCs, independent of the encoder, so a round trip can fail. */
function decodeQuotedPrintable(body: string): string {
  const soft = body.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=') {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(soft.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeHeaderWords(value: string): string {
  return value
    .replace(/\?=\r\n =\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
}

interface Part {
  headers: Record<string, string>;
  body: string;
}

/** Splits a message or part into unfolded headers and body. */
function parsePart(raw: string): Part {
  const at = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, at).replace(/\r\n[ \t]/g, ' ');
  const headers = Object.fromEntries(
    head.split('\r\n').map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 2)]),
  );
  return { headers, body: raw.slice(at + 4) };
}

function children(part: Part): Part[] {
  const boundary = /boundary="([^"]+)"/.exec(part.headers['content-type'] ?? '')?.[1];
  if (!boundary) throw new Error('not multipart');
  const [, ...rest] = part.body.split(`--${boundary}`);
  expect(rest.at(-1)?.startsWith('--')).toBe(true);
  return rest.slice(0, -1).map((p) => parsePart(p.replace(/^\r\n/, '').replace(/\r\n$/, '')));
}

const PNG_BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37) % 256));
const EMAIL: RawEmail = {
  from: 'spend-alerts@example.com',
  to: ['finops@example.com', 'cfo@example.com'],
  cc: ['audit@example.com'],
  subject: 'Spend digest, 25–31 March 2024: 3 alerts · month to date $8,123.45 (68% of monthly-total)',
  date: new Date('2024-04-01T06:05:00Z'),
  text: 'All quiet.\nMonth to date: $8,123.45 — 68% of monthly-total.\n',
  html: `<!DOCTYPE html><html><body><p style="color:#101828">${'x'.repeat(1200)} = é</p><img src="cid:spend-chart" alt="chart"></body></html>`,
  inline: [{ contentId: 'spend-chart', contentType: 'image/png', filename: 'spend-chart.png', content: PNG_BYTES }],
  headers: [['X-Spend-Alerts-Digest', 'finops-digest day:2024-03-31@Europe/Berlin']],
};

describe('buildRawEmail', () => {
  const raw = buildRawEmail(EMAIL).toString('utf8');
  const message = parsePart(raw);

  it('is multipart/related: an alternative (text, then HTML) and the image under its Content-ID', () => {
    expect(message.headers['content-type']).toMatch(
      /^multipart\/related; boundary="[^"]+"; type="multipart\/alternative"$/,
    );
    const [alternative, image, ...more] = children(message);
    expect(more).toEqual([]);
    const [text, html] = children(alternative!);
    expect(text!.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(decodeQuotedPrintable(text!.body)).toBe(EMAIL.text.replace(/\n/g, '\r\n'));
    expect(html!.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(decodeQuotedPrintable(html!.body)).toBe(EMAIL.html);
    expect(image!.headers).toMatchObject({
      'content-type': 'image/png; name="spend-chart.png"',
      'content-transfer-encoding': 'base64',
      'content-id': '<spend-chart>',
      'content-disposition': 'inline; filename="spend-chart.png"',
    });
    expect(Buffer.from(image!.body.replace(/\r\n/g, ''), 'base64').equals(PNG_BYTES)).toBe(true);
  });

  it('writes the headers, encoding the non-ASCII subject as RFC 2047 words', () => {
    expect(message.headers).toMatchObject({
      from: 'spend-alerts@example.com',
      to: 'finops@example.com, cfo@example.com',
      cc: 'audit@example.com',
      date: 'Mon, 01 Apr 2024 06:05:00 +0000',
      'mime-version': '1.0',
      'x-spend-alerts-digest': 'finops-digest day:2024-03-31@Europe/Berlin',
    });
    expect(message.headers['message-id']).toMatch(/^<[0-9a-f]{24}@example\.com>$/);
    expect(raw).toMatch(/^Subject: =\?UTF-8\?B\?/m);
    expect(decodeHeaderWords(raw.slice(raw.indexOf('Subject: ') + 9, raw.indexOf('\r\nDate:')))).toBe(EMAIL.subject);
  });

  it('keeps every line within 76 characters of encoded text, and within 998 in all', () => {
    const lines = raw.split('\r\n');
    expect(lines.every((l) => l.length <= 998)).toBe(true);
    const body = raw.slice(raw.indexOf('\r\n\r\n'));
    expect(body.split('\r\n').filter((l) => l.length > 76)).toEqual([]);
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('is the same for the same input, and differs when the content does', () => {
    expect(buildRawEmail(EMAIL).equals(buildRawEmail(EMAIL))).toBe(true);
    expect(buildRawEmail({ ...EMAIL, text: 'other' }).equals(buildRawEmail(EMAIL))).toBe(false);
  });

  it('without images, is a multipart/alternative alone', () => {
    const plain = parsePart(buildRawEmail({ ...EMAIL, inline: [] }).toString('utf8'));
    expect(plain.headers['content-type']).toMatch(/^multipart\/alternative; boundary=/);
    expect(children(plain).map((p) => p.headers['content-type'])).toEqual([
      'text/plain; charset=utf-8',
      'text/html; charset=utf-8',
    ]);
  });

  it('never lets a header value start a new header', () => {
    const raw = buildRawEmail({
      ...EMAIL,
      subject: 'a\r\nBcc: evil@example.com',
      headers: [['X-Test', 'b\nBcc: evil@example.com']],
    }).toString('utf8');
    expect(raw).not.toMatch(/^Bcc:/m);
  });
});

describe('quotedPrintable', () => {
  it('round-trips any text, in lines of at most 76 characters with no trailing whitespace', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
        const encoded = quotedPrintable(text);
        expect(encoded.split('\r\n').every((l) => l.length <= 76 && !/[ \t]$/.test(l))).toBe(true);
        expect(decodeQuotedPrintable(encoded)).toBe(text.replace(/\r\n|\r|\n/g, '\r\n'));
      }),
    );
  });

  it('never splits a character’s UTF-8 bytes across a soft line break', () => {
    const encoded = quotedPrintable('▂▁▁▃▃▃▄▄▂▂▇███ '.repeat(20));
    for (const line of encoded.split('\r\n'))
      expect(decodeQuotedPrintable(line.replace(/=$/, ''))).not.toContain('\uFFFD');
  });

  it('escapes "=" and keeps plain text readable', () => {
    expect(quotedPrintable('a=b café')).toBe('a=3Db caf=C3=A9');
  });
});

describe('encodeHeaderText', () => {
  it('leaves short ASCII alone and encodes whole characters in words of at most 75 characters', () => {
    expect(encodeHeaderText('Spend digest: all quiet')).toBe('Spend digest: all quiet');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }), (text) => {
        const encoded = encodeHeaderText(text);
        const plain = text.replace(/[\r\n]+/g, ' ');
        if (encoded.startsWith('=?')) expect(encoded.split('\r\n ').every((w) => w.length <= 75)).toBe(true);
        expect(encoded.startsWith('=?') ? decodeHeaderWords(encoded) : encoded.replace(/\r\n /g, ' ')).toBe(plain);
      }),
    );
  });

  it('encodes ASCII that would read as an encoded-word', () => {
    expect(encodeHeaderText('=?UTF-8?B?x?=')).toMatch(/^=\?UTF-8\?B\?/);
  });
});

describe('base64Lines and rfc5322Date', () => {
  it('wraps base64 at 76', () => {
    const lines = base64Lines(PNG_BYTES).split('\r\n');
    expect(lines.slice(0, -1).every((l) => l.length === 76)).toBe(true);
  });

  it('formats dates with a numeric zone', () => {
    expect(rfc5322Date(new Date('2026-05-15T06:05:09Z'))).toBe('Fri, 15 May 2026 06:05:09 +0000');
  });
});
