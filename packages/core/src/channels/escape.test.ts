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
    expect(escapeHtml(`<script>alert("x" & 'y')</script>`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;',
    );
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
    [
      'https://console.aws.amazon.com/costmanagement/home#/budgets',
      'https://console.aws.amazon.com/costmanagement/home#/budgets',
    ],
    ['http://localhost:8080/x', 'http://localhost:8080/x'],
    ['javascript:alert(1)', null],
    ['data:text/html,<b>x</b>', null],
    ['/relative', null],
    ['', null],
    [null, null],
    ['HTTPS://Console.AWS.amazon.com/a/./b/../c?x=1#f', 'https://console.aws.amazon.com/a/c?x=1#f'],
    ['https://a.example.com/%2e%2E/x', 'https://a.example.com/x'],
    ['https://a.example.com', 'https://a.example.com/'],
    ["https://a.example.com/q?it's", 'https://a.example.com/q?it%27s'],
    ['https://xn--a.com/', null],
  ])('%s → %s', (input, expected) => {
    expect(safeHttpUrl(input)).toBe(expected);
  });
});
