// The frame every email shares: the site name on top, the body, a footer. Inline styles and no external
// assets, since mail clients strip style sheets and block remote images.
import type { Content } from './content.js'
import { html } from './html.js'

export type RenderedMail = { subject: string; html: string; text: string }

type Letter = { siteName: string; subject: string; heading: string; body: Content[] }

/** A subject is one header line: control characters (CR/LF above all) would start another header. */
export const plainSubject = (subject: string) => subject.replace(/\p{Cc}+/gu, ' ').trim()

export function renderMail({ siteName, subject, heading, body }: Letter): RenderedMail {
  const title = plainSubject(subject)
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f5">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f5">
<tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#18181b">
<tr><td style="padding:20px 32px;border-bottom:1px solid #e4e4e7;font-size:18px;font-weight:bold">${siteName}</td></tr>
<tr><td style="padding:24px 32px 8px">
<h1 style="margin:0 0 16px;font-size:20px;line-height:1.3">${heading}</h1>
${body.map((block) => block.html)}
</td></tr>
</table>
<p style="margin:16px 0 0;font-family:Helvetica,Arial,sans-serif;font-size:12px;color:#71717a">This email was sent by ${siteName}.</p>
</td></tr>
</table>
</body>
</html>
`
  const text = [heading, ...body.map((block) => block.text), `-- \n${siteName}`].join('\n\n')
  return { subject: title, html: page.markup, text: `${text}\n` }
}
