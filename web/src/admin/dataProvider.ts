// react-admin's data provider for the Tessera API: its envelope (`data`, `meta.pagination`), its page
// numbers, its `ordering` and filters, and X-Business-ID from the business switcher. Only the fields
// a form changed are sent, so read-only fields never travel back. Resources under a business
// (webhooks) name the chosen business in their path, and a nested list (an endpoint's deliveries) its
// parent record, which the list gets as a filter. `act` runs a record's action (rotate a secret,
// redeliver).
import type { DataProvider, Identifier, RaRecord } from 'react-admin'
import { ApiError, api, type RequestOptions } from '../api/client'
import { currentBusinessId } from './business'
import { toHttpError } from './errors'

type Query = NonNullable<RequestOptions['query']>

type ResourceSpec = {
  /** The list's path, or how to make it from the chosen business (and the parent record's id). */
  path: string | ((business: string, parent: string) => string)
  /** A nested list's filter field that holds its parent record's id (the path's, not the query's). */
  parent?: string
  /** react-admin sort field -> the API's `ordering` field; lists without ordering leave it out. */
  ordering?: Record<string, string>
  /** Lists in business context (X-Business-ID); the users list, settings and jobs are platform-wide. */
  scoped: boolean
}

export const RESOURCES: Record<string, ResourceSpec> = {
  users: {
    path: '/api/users/',
    scoped: false,
    ordering: { username: 'username', email: 'email', date_joined: 'date_joined', last_login: 'last_login' },
  },
  businesses: { path: '/api/businesses/', scoped: false },
  sessions: {
    path: '/api/sessions/',
    scoped: true,
    ordering: { created_at: 'created_at', price: 'price', duration: 'duration', title: 'title' },
  },
  bookings: { path: '/api/bookings/', scoped: true },
  reservations: { path: '/api/reservations/', scoped: true, ordering: { start_time: 'start_time' } },
  'audit-log': { path: '/api/audit-log/', scoped: true },
  webhooks: { path: (business) => `/api/businesses/${business}/webhooks/`, scoped: true },
  'webhook-deliveries': {
    path: (business, webhook) => `/api/businesses/${business}/webhooks/${webhook}/deliveries/`,
    parent: 'webhook',
    scoped: true,
  },
}

function specOf(resource: string): ResourceSpec {
  const spec = RESOURCES[resource]
  if (!spec) throw new Error(`The console has no resource named ${resource}.`)
  return spec
}

/** The resource's list path, in the chosen business and under `parent` where the resource needs them. */
function pathOf(spec: ResourceSpec, parent?: unknown): string {
  if (typeof spec.path === 'string') return spec.path
  const business = currentBusinessId()
  if (!business) throw new ApiError(400, 'business_required', 'Choose a business first.')
  if (spec.parent && (parent === undefined || parent === null || parent === ''))
    throw new Error(`The console's ${spec.parent} list needs its ${spec.parent}.`)
  return spec.path(encodeURIComponent(business), encodeURIComponent(String(parent ?? '')))
}

export function businessHeader(): RequestOptions {
  return { business: currentBusinessId() }
}

/** The list filters as query parameters: react-admin's full-text `q` is the API's `search`. */
export function filterQuery(filter: Record<string, unknown>): Query {
  const query: Query = {}
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || value === '') continue
    const name = key === 'q' ? 'search' : key
    query[name] = typeof value === 'object' ? JSON.stringify(value) : (value as string | number | boolean)
  }
  return query
}

/** A nested list's filter without its parent's id, and that id. */
function splitParent(spec: ResourceSpec, filter: Record<string, unknown>) {
  if (!spec.parent) return { parent: undefined, rest: filter }
  const { [spec.parent]: parent, ...rest } = filter
  return { parent, rest }
}

function orderingOf(spec: ResourceSpec, sort?: { field: string; order: string }): Query {
  const field = sort && spec.ordering?.[sort.field]
  return field ? { ordering: sort?.order === 'DESC' ? `-${field}` : field } : {}
}

/** The fields of `data` that differ from `previous`: what a PATCH needs. */
export function changedFields(data: RaRecord, previous: RaRecord | undefined): Record<string, unknown> {
  if (!previous) return data
  return Object.fromEntries(
    Object.entries(data).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(previous[key])),
  )
}

/**
 * Runs one API call and turns its errors into react-admin's. The answer takes the type react-admin
 * asks for: records are the API's JSON, which the generic record types cannot see statically.
 */
async function call<T>(resource: string, work: () => Promise<unknown>): Promise<T> {
  try {
    return (await work()) as T
  } catch (error) {
    throw toHttpError(error, resource)
  }
}

const optionsFor = (spec: ResourceSpec): RequestOptions => (spec.scoped ? businessHeader() : {})
const itemPath = (spec: ResourceSpec, id: Identifier, parent?: Identifier) =>
  `${pathOf(spec, parent)}${encodeURIComponent(String(id))}/`

/** What `act` is asked: the record, its action (the last part of the path) and its parent, if nested. */
export type ActParams = { id: Identifier; action: string; parent?: Identifier }

export type ConsoleDataProvider = DataProvider & {
  /** POSTs a record's action (`{item}/{action}/`) and answers the API's `data`. */
  act: <T>(resource: string, params: ActParams) => Promise<{ data: T }>
}

export const dataProvider: ConsoleDataProvider = {
  getList: (resource, { pagination, sort, filter, signal }) =>
    call(resource, async () => {
      const spec = specOf(resource)
      const { parent, rest } = splitParent(spec, filter ?? {})
      const query: Query = {
        page: pagination?.page ?? 1,
        page_size: pagination?.perPage ?? 25,
        ...orderingOf(spec, sort),
        ...filterQuery(rest),
      }
      const body = await api.get<RaRecord[]>(pathOf(spec, parent), { ...optionsFor(spec), query, signal })
      return { data: body.data, total: body.meta?.pagination.total ?? body.data.length }
    }),
  getOne: (resource, { id, signal }) =>
    call(resource, async () => {
      const spec = specOf(resource)
      return { data: (await api.get<RaRecord>(itemPath(spec, id), { ...optionsFor(spec), signal })).data }
    }),
  getMany: (resource, { ids, signal }) =>
    call(resource, async () => {
      const spec = specOf(resource)
      const found = await Promise.all(
        ids.map((id) => api.get<RaRecord>(itemPath(spec, id), { ...optionsFor(spec), signal })),
      )
      return { data: found.map((body) => body.data) }
    }),
  getManyReference: (resource, { target, id, pagination, sort, filter, signal }) =>
    dataProvider.getList(resource, { pagination, sort, filter: { ...filter, [target]: id }, signal }),
  create: (resource, { data }) =>
    call(resource, async () => {
      const spec = specOf(resource)
      return { data: (await api.post<RaRecord>(pathOf(spec), data, optionsFor(spec))).data }
    }),
  update: (resource, { id, data, previousData }) =>
    call(resource, async () => {
      const spec = specOf(resource)
      const body = changedFields(data as RaRecord, previousData)
      return { data: (await api.patch<RaRecord>(itemPath(spec, id), body, optionsFor(spec))).data }
    }),
  updateMany: (resource, { ids, data }) =>
    call(resource, async () => {
      const spec = specOf(resource)
      await Promise.all(ids.map((id) => api.patch(itemPath(spec, id), data, optionsFor(spec))))
      return { data: ids }
    }),
  delete: (resource, { id, previousData }) =>
    call(resource, async () => {
      const spec = specOf(resource)
      await api.delete(itemPath(spec, id), optionsFor(spec))
      return { data: (previousData ?? { id }) as never }
    }),
  deleteMany: (resource, { ids }) =>
    call(resource, async () => {
      const spec = specOf(resource)
      await Promise.all(ids.map((id) => api.delete(itemPath(spec, id), optionsFor(spec))))
      return { data: ids }
    }),
  act: <T>(resource: string, { id, action, parent }: ActParams) =>
    call<{ data: T }>(resource, async () => {
      const spec = specOf(resource)
      const path = `${itemPath(spec, id, parent)}${encodeURIComponent(action)}/`
      return { data: (await api.post<T>(path, undefined, optionsFor(spec))).data }
    }),
}
