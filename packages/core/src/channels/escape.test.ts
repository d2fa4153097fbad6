import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  escapeSlack,
  safeHttpUrl,
  singleLine,
  slackText,
  terminalSafe,
  truncate,
  truncateEscaped,
} from './escape.ts';

describe('escapeSlack', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here|here>', '&lt;!here|here&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<https://evil.example|click>', '&lt;https:\u2215\u2215evil\u2024example|click&gt;'],
    ['a & b', 'a &amp; b'],
    ['&lt; already', '&amp;lt; already'],
    ['plain *bold* _it_ ~s~ `c`', 'plain \u2217bold\u2217 \u02cdit\u02cd \u223cs\u223c \u02cbc\u02cb'],
    ['snake_case a*b stays as written', 'snake_case a*b stays as written'],
    ['see evil.example/login or HTTPS://x.example', 'see evil\u2024example/login or HTTPS:\u2215\u2215x\u2024example'],
    ['$1,234.56 on 2026-06-15, v1.2', '$1,234.56 on 2026-06-15, v1.2'],
    ['nul\u0000 esc\u001b[2K cr\r c1\u009b rlo\u202egnp.exe', 'nul esc[2K cr c1 rlognp\u2024exe'],
    ['two\nlines\tand a tab', 'two\nlines\tand a tab'],
  ])('%s → %s', (input, expected) => {
    expect(escapeSlack(input)).toBe(expected);
  });
});

describe('terminalSafe', () => {
  it.each([
    ['ok\u001b[2K\rfake', 'ok\\u001b[2K\\u000dfake'],
    [
      '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007',
      '\\u001b]8;;https://evil.example\\u0007click\\u001b]8;;\\u0007',
    ],
    ['c1 \u009b31m and \u0085', 'c1 \\u009b31m and \\u0085'],
    ['bidi \u202e \u2066 \u200f \u061c', 'bidi \\u202e \\u2066 \\u200f \\u061c'],
    ['lines\nand\ttabs stay', 'lines\nand\ttabs stay'],
  ])('%j → %j', (input, expected) => {
    expect(terminalSafe(input)).toBe(expected);
  });

  it('leaves JSON meaning the same: the escapes are valid inside a JSON string', () => {
    const value = { name: 'a\u202eb\u009bc' };
    expect(JSON.parse(terminalSafe(JSON.stringify(value)))).toEqual(value);
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
