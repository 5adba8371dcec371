// HTML for emails where escaping is the default: every value put into an html`` template is escaped
// unless it is already SafeHtml (markup built by another html`` template).

/** Markup that is already safe to place in a document. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char)
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[]

function toMarkup(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup
  if (Array.isArray(value)) return value.map(toMarkup).join('')
  if (value === null || value === undefined || value === false) return ''
  return escapeHtml(String(value))
}

/** A tagged template: the literal parts are markup, every interpolated value is escaped. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  return new SafeHtml(
    strings.reduce((markup, literal, index) => markup + toMarkup(values[index - 1]) + literal),
  )
}
