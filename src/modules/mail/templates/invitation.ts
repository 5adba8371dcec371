// The invitation to join a business, mailed to an address that may or may not have an account yet.
import type { MembershipRole } from '../../../platform/tenancy.js'
import { button, paragraph, strong } from '../content.js'
import { type RenderedMail, renderMail } from '../layout.js'

export type InvitationView = {
  siteName: string
  businessName: string
  /** Who invited, as they go by; null once their account is gone. */
  inviterName: string | null
  role: MembershipRole
  /** The accept link with its token. */
  link: string
}

const AS_ROLE: Record<MembershipRole, string> = {
  owner: 'an owner',
  admin: 'an admin',
  manager: 'a manager',
  agent: 'an agent',
}

export function invitation(view: InvitationView): RenderedMail {
  const role = AS_ROLE[view.role]
  return renderMail({
    siteName: view.siteName,
    subject: `You are invited to join ${view.businessName} on ${view.siteName}`,
    heading: `Join ${view.businessName}`,
    body: [
      view.inviterName
        ? paragraph`${strong(view.inviterName)} invited you to join ${strong(view.businessName)} on ${view.siteName} as ${role}.`
        : paragraph`You are invited to join ${strong(view.businessName)} on ${view.siteName} as ${role}.`,
      paragraph`Sign in with this email address (or create an account with it), then accept:`,
      button('Accept the invitation', view.link),
      paragraph`The link is valid for 7 days and works only once.`,
      paragraph`If you do not want to join, you can ignore this email: nothing happens without you.`,
    ],
  })
}
