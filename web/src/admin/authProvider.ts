// Signing in to the console over the same cookie session (with CSRF) as the web app. A sign-in with
// 2FA on answers `otp_required` first; the login page then asks for the code and signs in again.
import type { AuthProvider } from 'react-admin'
import { ApiError, api } from '../api/client'
import type { Business, User } from '../api/types'
import { isPlatformAdmin, resolveBusiness, type Standing } from './access'
import { chooseBusiness, currentBusinessId } from './business'
import { toHttpError } from './errors'

export type LoginParams = { login: string; password: string; otp?: string }

let standing: Promise<Standing> | null = null

async function loadStanding(): Promise<Standing> {
  const user = (await api.get<User>('/api/auth/profile/')).data
  const platformAdmin = isPlatformAdmin(user)
  // A platform admin sees every business in the list; their own memberships are the ones they hold.
  const query = { page_size: 100, ...(platformAdmin ? { member: user.id } : {}) }
  const memberships = (await api.get<Business[]>('/api/businesses/', { query })).data
  const result = { user, platformAdmin, memberships }
  const business = resolveBusiness(result, currentBusinessId())
  if (business !== currentBusinessId()) chooseBusiness(business)
  return result
}

/** The signed-in user's standing, asked once per sign-in (and again after a refresh of the page). */
export function currentStanding(): Promise<Standing> {
  standing ??= loadStanding().catch((error) => {
    standing = null
    throw error
  })
  return standing
}

export function forgetStanding(): void {
  standing = null
}

export const authProvider: AuthProvider = {
  async login({ login, password, otp }: LoginParams) {
    const identifier = login.includes('@') ? { email: login } : { username: login }
    forgetStanding()
    try {
      await api.post('/api/auth/session/login/', { ...identifier, password, ...(otp ? { otp } : {}) })
    } catch (error) {
      throw toHttpError(error)
    }
    const { user, memberships, platformAdmin } = await currentStanding()
    if (!platformAdmin && memberships.length === 0) {
      await api.post('/api/auth/session/logout/')
      forgetStanding()
      throw new Error(
        `${user.username} is not staff of any business. The console is for platform admins and business staff.`,
      )
    }
  },
  async logout() {
    forgetStanding()
    try {
      await api.post('/api/auth/session/logout/')
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error
    }
  },
  async checkAuth() {
    try {
      await currentStanding()
    } catch (error) {
      throw error instanceof ApiError && error.status === 401 ? { message: false } : error
    }
  },
  async checkError(error: { status?: number }) {
    // 401: the session ended (signed out elsewhere, expired, user deactivated). A 403 stays on the
    // page with its message: the server refused one action, not the whole session.
    if (error?.status === 401) {
      forgetStanding()
      throw error
    }
  },
  async getIdentity() {
    const { user } = await currentStanding()
    const fullName = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.username
    return { id: user.id, fullName, avatar: user.avatar ?? undefined }
  },
  // A new object per call (with the business chosen now), so a switch re-renders what depends on it.
  // Nobody is signed in on the login page: no permissions, rather than a rejected promise.
  getPermissions: async () => {
    try {
      return { ...(await currentStanding()), chosen: currentBusinessId() }
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return undefined
      throw error
    }
  },
}
