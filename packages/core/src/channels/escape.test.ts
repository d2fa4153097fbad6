import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeSlack, safeHttpUrl, singleLine, slackText, truncate, truncateEscaped } from './escape.ts';

describe('escapeSlack', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here|here>', '&lt;!here|here&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<https://evil.example|click>', '&lt;https://evil.example|click&gt;'],
    ['a & b', 'a &amp; b'],
    ['&lt; already', '&amp;lt; already'],
    ['plain *bold* _it_', 'plain *bold* _it_'],
  ])('%s → %s', (input, expected) => {
    expect(escapeSlack(input)).toBe(expected);
  });
});

describe('escapeHtml', () => {
  it('escapes element and attribute metacharacters', () => {
    expect(escapeHtml(`<script>alert("x" & 'y')</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
  });
});

describe('truncate', () => {
  it.each([
    ['short', 10, 'short'],
    ['abcdef', 4, 'abc…'],
    ['abcdef', 6, 'abcdef'],
    ['abcdef', 1, '…'],
  ])('truncate(%s, %i) = %s', (input, max, expected) => {
    expect(truncate(input, max)).toBe(expected);
  });

  it('never splits a surrogate pair', () => {
    const cut = truncate('ab😀cdef', 4);
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });

  it('does not leave half an entity after escaping', () => {
    expect(truncateEscaped('&lt;!here&gt; now', 12)).toBe('&lt;!here…');
    expect(slackText('<!here> now', 12)).toBe('&lt;!here…');
    expect(slackText('a & b', 4)).toBe('a …');
  });

  it('keeps escaped text within the limit whatever the input', () => {
    const nasty = '<&>'.repeat(2000);
    const out = slackText(nasty, 3000);
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(out).not.toMatch(/[<>]/);
    expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });
});

describe('singleLine', () => {
  it('removes line breaks and control characters', () => {
    expect(singleLine('a\r\nBcc: x@y\u0000z\u2028w')).toBe('a Bcc: x@y z w');
  });
});

describe('safeHttpUrl', () => {
  it.each([
    ['https://console.aws.amazon.com/costmanagement/home#/budgets', 'https://console.aws.amazon.com/costmanagement/home#/budgets'],
    ['http://localhost:8080/x', 'http://localhost:8080/x'],
    ['javascript:alert(1)', null],
    ['data:text/html,<b>x</b>', null],
    ['/relative', null],
    ['', null],
    [null, null],
    ['HTTPS://Console.AWS.amazon.com/a/./b/../c?x=1#f', 'https://console.aws.amazon.com/a/c?x=1#f'],
    ['https://a.example.com/%2e%2E/x', 'https://a.example.com/x'],
    ['https://a.example.com', 'https://a.example.com/'],
    ['https://a.example.com/q?it\'s', 'https://a.example.com/q?it%27s'],
    ['https://xn--a.com/', null],
  ])('%s → %s', (input, expected) => {
    expect(safeHttpUrl(input)).toBe(expected);
  });

  /** What the URL parser makes of it: the answer for every URL, whether or not it is parsed. */
  const parsed = (url: string) => {
    try {
      const u = new URL(url);
      return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
    } catch {
      return null;
    }
  };

  it('gives console links back as the URL parser would', () => {
    const region = fc.constantFrom('us-east-1', 'eu-central-2', 'cn-north-1', 'us-gov-west-1');
    const link = fc
      .tuple(region, fc.string({ maxLength: 40 }))
      .map(([r, name]) => `https://${r}.${r.startsWith('cn-') ? 'console.amazonaws.cn' : 'console.aws.amazon.com'}/cloudwatch/home?region=${r}#alarmsV2:alarm/${encodeURIComponent(name)}`);
    fc.assert(
      fc.property(link, (url) => {
        expect(safeHttpUrl(url)).toBe(parsed(url));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the URL parser on URL-like text', () => {
    const piece = fc.constantFrom(...'aZ09-._~!$&()*+,;=:@/?#\'%'.split(''), '%2e', '%41', '/./', '/../', '..', '\\', ' ', '<', '"', '`', '{', '|', '^', 'é', '--');
    const label = fc.oneof(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,64}[a-z0-9])?$/), fc.constantFrom('xn--nxasmq6b', 'a--b', '127', '0x7f', 'Com'));
    const url = fc
      .tuple(fc.constantFrom('https://', 'http://', 'HTTP://', 'ftp://'), fc.array(label, { minLength: 1, maxLength: 4 }), fc.constantFrom('.com', '.aws', '', ':8080', '.'), fc.array(piece, { maxLength: 20 }))
      .map(([scheme, labels, end, path]) => `${scheme}${labels.join('.')}${end}/${path.join('')}`);
    fc.assert(
      fc.property(fc.oneof(url, fc.webUrl({ withQueryParameters: true, withFragments: true })), (u) => {
        expect(safeHttpUrl(u)).toBe(parsed(u));
      }),
      { numRuns: 5000 },
    );
  });
});
