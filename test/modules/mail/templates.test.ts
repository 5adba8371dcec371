// Templates render from plain view models: user-supplied text is escaped in the HTML part (and only
// there), every time is on the business's clock with its zone named, and both parts are always present.
import { describe, expect, it } from 'vitest'
import { escapeHtml, html, SafeHtml } from '../../../src/modules/mail/html.js'
import { MAIL_TEMPLATES } from '../../../src/modules/mail/params.js'
import { MAIL_SAMPLES } from '../../../src/modules/mail/samples.js'
import {
  bookingCreated,
  reminder,
  reservationCreated,
  statusChanged,
} from '../../../src/modules/mail/templates/appointments.js'
import { renderTemplate } from '../../../src/modules/mail/templates/index.js'

const hostileBusiness = `<script>alert("owned")</script> & 'Sons'`
const hostileCustomer = '<img src=x onerror="steal()">'
const hostileNotes = '</td></tr></table><script>evil()</script>\nsecond line'

const escapedBusiness = '&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; &#39;Sons&#39;'
const escapedCustomer = '&lt;img src=x onerror=&quot;steal()&quot;&gt;'

const london = { siteName: 'Tessera', timeZone: 'Europe/London' }

describe('escaping', () => {
  it('escapes the five characters that matter and keeps nested html as markup', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
    const inner = html`<b>${'<i>'}</b>`
    expect(html`<p>${inner}${['<', new SafeHtml('<br>')]}${null}${false}</p>`.markup).toBe(
      '<p><b>&lt;i&gt;</b>&lt;<br></p>',
    )
  })

  it('escapes the business, the customer and the notes of a reservation in the html part', () => {
    const mail = reservationCreated({
      ...london,
      businessName: hostileBusiness,
      customerName: hostileCustomer,
      customerEmail: 'ana@example.com',
      staffName: '<b>Sam</b>',
      start: new Date('2026-07-01T16:00:00Z'),
      end: new Date('2026-07-01T17:00:00Z'),
      notes: hostileNotes,
    })
    expect(mail.html).toContain(escapedBusiness)
    expect(mail.html).toContain(escapedCustomer)
    expect(mail.html).toContain('&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;evil()&lt;/script&gt;')
    expect(mail.html).toContain('&lt;b&gt;Sam&lt;/b&gt;')
    expect(mail.html).not.toContain('<script')
    expect(mail.html).not.toContain('<img')
    expect(mail.html).not.toContain('<b>Sam')
    // The text part is plain text: the same words as typed, no entities and no markup of ours.
    expect(mail.text).toContain(`${hostileCustomer} made a reservation at ${hostileBusiness}.`)
    expect(mail.text).not.toMatch(/&lt;|&amp;|<p|<table|<strong/)
    expect(mail.subject).not.toMatch(/&lt;|&amp;/)
  })

  it('escapes the business and the customer of a booking, a status change and a reminder', () => {
    const appointment = {
      ...london,
      businessName: hostileBusiness,
      customerName: hostileCustomer,
      start: new Date('2026-07-01T16:00:00Z'),
      end: new Date('2026-07-01T17:00:00Z'),
      what: '<script>title()</script>',
    }
    const mails = [
      bookingCreated({
        ...appointment,
        customerEmail: 'ana@example.com',
        sessionTitle: appointment.what,
        amount: '18.50',
        currency: 'GBP',
      }),
      statusChanged({ ...appointment, entity: 'booking', from: 'pending', to: 'confirmed' }),
      reminder({ ...appointment, entity: 'reservation' }),
    ]
    for (const mail of mails) {
      expect(mail.html).toContain(escapedBusiness)
      expect(mail.html).toContain(escapedCustomer)
      expect(mail.html).toContain('&lt;script&gt;title()&lt;/script&gt;')
      expect(mail.html).not.toContain('<script')
      expect(mail.html).not.toContain('<img')
    }
  })

  it('keeps a subject on one line and escapes a link in its attribute', () => {
    const mail = bookingCreated({
      ...london,
      businessName: 'Harbour Yoga',
      customerName: 'Ana',
      customerEmail: 'ana@example.com',
      sessionTitle: 'Yoga\r\nBcc: everyone@example.com',
      start: new Date('2026-07-01T16:00:00Z'),
      amount: '18.50',
      currency: 'GBP',
    })
    expect(mail.subject).not.toMatch(/[\r\n]/)
    expect(mail.subject).toContain('Yoga Bcc: everyone@example.com')

    const reset = renderTemplate('password_reset', {
      siteName: 'Tessera',
      name: 'Ana',
      link: 'https://app.example.com/reset-password?token=a&b="c"',
    })
    expect(reset.html).toContain('href="https://app.example.com/reset-password?token=a&amp;b=&quot;c&quot;"')
    expect(reset.text).toContain('https://app.example.com/reset-password?token=a&b="c"')
  })
})

describe('times on the business clock', () => {
  const booking = (start: string, timeZone: string) =>
    bookingCreated({
      siteName: 'Tessera',
      timeZone,
      businessName: 'Harbour Yoga',
      customerName: 'Ana',
      customerEmail: 'ana@example.com',
      sessionTitle: 'Flow',
      start: new Date(start),
      amount: '18.50',
      currency: 'GBP',
    })

  it('shows London summer time and winter time as the same wall clock', () => {
    const summer = booking('2026-07-01T16:00:00Z', 'Europe/London') // BST, UTC+1
    const winter = booking('2026-01-14T17:00:00Z', 'Europe/London') // GMT, UTC+0
    for (const part of [summer.text, summer.html, summer.subject]) {
      expect(part).toContain('Wednesday 1 July 2026, 17:00 (Europe/London)')
    }
    expect(winter.text).toContain('Wednesday 14 January 2026, 17:00 (Europe/London)')
    expect(summer.text).not.toContain('16:00')
  })

  it('follows New York across its spring change', () => {
    expect(booking('2026-03-07T22:00:00Z', 'America/New_York').text).toContain(
      'Saturday 7 March 2026, 17:00 (America/New_York)', // EST, UTC-5
    )
    expect(booking('2026-03-09T21:00:00Z', 'America/New_York').text).toContain(
      'Monday 9 March 2026, 17:00 (America/New_York)', // EDT, UTC-4
    )
  })

  it('shows UTC only for a business in UTC', () => {
    expect(booking('2026-07-01T16:00:00Z', 'UTC').text).toContain('Wednesday 1 July 2026, 16:00 (UTC)')
  })

  it('shows a period over the night the clocks go forward, and one that ends the next day', () => {
    const view = {
      ...london,
      businessName: 'Harbour Yoga',
      customerName: 'Ana',
      what: 'Night shift',
      entity: 'reservation' as const,
    }
    const forward = reminder({
      ...view,
      start: new Date('2026-03-29T00:30:00Z'), // 00:30 GMT
      end: new Date('2026-03-29T02:30:00Z'), // 03:30 BST
    })
    expect(forward.text).toContain('Sunday 29 March 2026, 00:30–03:30 (Europe/London)')
    const overnight = reminder({
      ...view,
      start: new Date('2026-07-01T21:00:00Z'),
      end: new Date('2026-07-02T01:00:00Z'),
    })
    expect(overnight.text).toContain(
      'Wednesday 1 July 2026, 22:00–Thursday 2 July 2026, 02:00 (Europe/London)',
    )
  })
})

describe('every template', () => {
  it.each(MAIL_TEMPLATES)('%s has a subject, an html page and a text part', (template) => {
    const mail = renderTemplate(template, MAIL_SAMPLES[template])
    expect(mail.subject.length).toBeGreaterThan(5)
    expect(mail.html).toMatch(/^<!doctype html>/)
    expect(mail.html).toContain('Tessera')
    expect(mail.html).not.toMatch(/<(link|img|script)\b|src=/)
    expect(mail.text.length).toBeGreaterThan(40)
    expect(mail.text).not.toMatch(/<\/?(p|a|table|strong|h1)\b/)
  })

  it('gives the details each email is about', () => {
    const reset = renderTemplate('password_reset', MAIL_SAMPLES.password_reset)
    expect(reset.text).toContain(MAIL_SAMPLES.password_reset.link)
    expect(reset.text).toContain('valid for 1 hour')
    expect(reset.text).toContain('only once')
    expect(reset.text).toContain('you can ignore this email')

    const booked = renderTemplate('booking_created', MAIL_SAMPLES.booking_created)
    expect(booked.text).toContain('£18.50')
    expect(booked.text).toContain('Ana Souza (ana@example.com)')

    const changed = renderTemplate('status_changed', MAIL_SAMPLES.status_changed)
    expect(changed.text).toContain('pending -> confirmed')

    const invited = renderTemplate('invitation', MAIL_SAMPLES.invitation)
    expect(invited.text).toContain(MAIL_SAMPLES.invitation.link)
    expect(invited.text).toContain('Sam Okafor invited you to join Harbour Yoga & Pilates')
    expect(invited.text).toContain('as a manager')
    expect(invited.text).toContain('valid for 7 days and works only once')
  })
})
