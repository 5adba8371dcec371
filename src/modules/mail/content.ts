// The building blocks of an email body, each written once and rendered twice: as escaped HTML and as
// plain text with the same words, so the two parts of a message never drift apart.
import { type HtmlValue, html, type SafeHtml } from './html.js'

export type Content = { html: SafeHtml; text: string }

/** What goes into a paragraph: plain text, or a piece with its own HTML (strong). */
type Inline = string | Content

const htmlOf = (value: Inline): HtmlValue => (typeof value === 'string' ? value : value.html)
const textOf = (value: Inline): string => (typeof value === 'string' ? value : value.text)

/**
 * A tagged template for one paragraph. The words of the template and the strings put into it are
 * text: escaped in the HTML part, kept as they are in the plain-text part.
 */
export function paragraph(words: TemplateStringsArray, ...values: Inline[]): Content {
  const pieces = words.flatMap((word, index) =>
    index < values.length ? [word, values[index] as Inline] : [word],
  )
  return {
    html: html`<p style="margin:0 0 16px">${pieces.map(htmlOf)}</p>`,
    text: pieces.map(textOf).join(''),
  }
}

export function strong(text: string): Content {
  return { html: html`<strong>${text}</strong>`, text }
}

/** A call to action: a button in HTML, the label and the address on a line of their own in text. */
export function button(label: string, href: string): Content {
  return {
    html: html`<p style="margin:24px 0"><a href="${href}" style="display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold">${label}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#52525b">Or open this address: <a href="${href}" style="color:#1d4ed8;word-break:break-all">${href}</a></p>`,
    text: `${label}: ${href}`,
  }
}

/** Label and value pairs (who, what, when); a row without a value is left out. */
export function facts(rows: [label: string, value: string | null | undefined][]): Content {
  const shown = rows.filter((row): row is [string, string] => Boolean(row[1]))
  return {
    html: html`<table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 16px;border-collapse:collapse">${shown.map(
      ([label, value]) =>
        html`<tr><td style="padding:4px 16px 4px 0;color:#52525b;vertical-align:top;white-space:nowrap">${label}</td><td style="padding:4px 0;vertical-align:top;white-space:pre-line">${value}</td></tr>`,
    )}</table>`,
    text: shown.map(([label, value]) => `${label}: ${value.replace(/\n/g, '\n  ')}`).join('\n'),
  }
}
