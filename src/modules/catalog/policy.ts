// Who may see and change the catalog's sessions, by the powers of businesses/policy.ts: open sessions
// are everybody's, the others are for the people of their business; owners, admins and managers (and
// platform admins) add and change them. The catalog's services start with these.
import type { Database } from '../../platform/db/index.js'
import { notFound, permissionDenied } from '../../platform/errors.js'
import type { Principal } from '../../platform/http/guards.js'
import type { BusinessContext } from '../../platform/tenancy.js'
import { businessContext, type Caller, requirePower, standingIn } from '../businesses/access.js'
import { can } from '../businesses/policy.js'
import { loadSession, type SessionJoined } from './queries.js'

/** Open sessions (active, of an active business) are for everybody, and so are their cached answers. */
export const isOpen = (row: SessionJoined) => row.session.status === 'active' && row.business.isActive

/** Whether the user stands in the business with the power to see its inactive sessions. */
async function readsInactive(db: Database, user: Principal | null, businessId: string): Promise<boolean> {
  const standing = await standingIn(db, user, businessId)
  return Boolean(standing && can(standing, 'sessions.read'))
}

/** The session if the user may see it: an open one, or any of a business they stand in (404 otherwise). */
export async function visibleSession(
  db: Database,
  user: Principal | null,
  id: string,
): Promise<SessionJoined> {
  const row = await loadSession(db, id)
  if (!(isOpen(row) || (await readsInactive(db, user, row.session.businessId)))) throw notFound()
  return row
}

/**
 * The session, if the user may change it: 404 when they cannot even see it, 403 when only that.
 * Owners, admins and managers of the session's business (and platform admins) may change it, by their
 * current standing there. Having created it gives no right of its own: a creator removed from the
 * business, or demoted to agent, keeps none over the sessions they made.
 */
export async function changeableSession(db: Database, user: Principal, id: string): Promise<SessionJoined> {
  const row = await visibleSession(db, user, id)
  requirePower(await standingIn(db, user, row.session.businessId), 'sessions.write')
  return row
}

/**
 * The business the caller adds sessions to: owners, admins and managers add sessions to their
 * business. A creator owns the business their registration made, so this covers "creators" too,
 * without letting a creator who is only an agent somewhere add sessions there.
 */
export async function businessToCreateIn(db: Database, caller: Caller): Promise<BusinessContext> {
  const context = await businessContext(db, caller)
  if (!context) throw permissionDenied('You need a business to create sessions.')
  return requirePower(context, 'sessions.write')
}

/**
 * The business whose inactive sessions the list adds: the one named by X-Business-ID when the caller
 * stands there; otherwise the header is ignored and the list is the public one.
 */
export async function staffBusiness(db: Database, viewer: Caller | null): Promise<string | null> {
  if (!viewer?.business) return null
  return (await readsInactive(db, viewer.user, viewer.business)) ? viewer.business : null
}
