// Emails about the account itself; each carries a single-use link to the frontend.
import { button, paragraph } from '../content.js'
import { type RenderedMail, renderMail } from '../layout.js'

export type AccountView = {
  siteName: string
  /** How the user is greeted. */
  name: string
  /** The link with its token. */
  link: string
}

export function welcome(view: AccountView): RenderedMail {
  return renderMail({
    siteName: view.siteName,
    subject: `Welcome to ${view.siteName}`,
    heading: `Welcome to ${view.siteName}`,
    body: [
      paragraph`Hi ${view.name},`,
      paragraph`Your account is ready. Please confirm that this is your email address:`,
      button('Verify my email address', view.link),
      paragraph`If you did not create an account, you can ignore this email.`,
    ],
  })
}

export function verifyEmail(view: AccountView): RenderedMail {
  return renderMail({
    siteName: view.siteName,
    subject: `Verify your email address for ${view.siteName}`,
    heading: 'Verify your email address',
    body: [
      paragraph`Hi ${view.name},`,
      paragraph`Please confirm that this is your email address:`,
      button('Verify my email address', view.link),
      paragraph`If you did not ask for this, you can ignore this email.`,
    ],
  })
}

export function passwordReset(view: AccountView): RenderedMail {
  return renderMail({
    siteName: view.siteName,
    subject: `Reset your password for ${view.siteName}`,
    heading: 'Reset your password',
    body: [
      paragraph`Hi ${view.name},`,
      paragraph`Someone asked to reset the password of your account. Choose a new one here:`,
      button('Choose a new password', view.link),
      paragraph`The link is valid for 1 hour and works only once.`,
      paragraph`If you did not ask for this, you can ignore this email: your password stays as it is.`,
    ],
  })
}
