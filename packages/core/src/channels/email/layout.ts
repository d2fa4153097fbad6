import { escapeHtml as h, truncate } from '../escape.ts';

/** The font stack of every email: the reader's system font. */
export const EMAIL_FONT = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/**
 * The document every spend-alerts email is laid out in: a centred 600-pixel table with inline styles
 * (what common mail clients render), a colour bar for the tone, a hidden preheader line that mail
 * clients show in the inbox list, and the given rows.
 */
export function emailDocument(input: { subject: string; preheader: string; color: string; rows: string[] }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${h(input.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f5f7;">
<div style="display:none;max-height:0;overflow:hidden;">${h(truncate(input.preheader, 150))}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f4f5f7" style="background-color:#f4f5f7;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width:100%;max-width:600px;background-color:#ffffff;border-collapse:collapse;font-family:${EMAIL_FONT};">
<tr><td height="6" bgcolor="${input.color}" style="height:6px;background-color:${input.color};font-size:0;line-height:0;">&nbsp;</td></tr>
${input.rows.filter(Boolean).join('\n')}
</table>
</td></tr>
</table>
</body>
</html>
`;
}

/** One row of the layout. */
export function emailRow(inner: string, padding = '8px 24px'): string {
  return `<tr><td style="padding:${padding};">${inner}</td></tr>`;
}
