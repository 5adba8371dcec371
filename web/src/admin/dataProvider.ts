// react-admin's data provider for the Tessera API: its envelope (`data`, `meta.pagination`), its page
// numbers, its `ordering` and filters, and X-Business-ID from the business switcher. Only the fields
// a form changed are sent, so read-only fields never travel back.
import type { DataProvider, RaRecord } from 'react-admin'
import { api, type RequestOptions } from '../api/client'
import { currentBusinessId } from './business'
import { toHttpError } from './errors'

type Query = NonNullable<RequestOptions['query']>

type ResourceSpec = {
  path: string
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
}

function specOf(resource: string): ResourceSpec {
  const spec = RESOURCES[resource]
  if (!spec) throw new Error(`The console has no resource named ${resource}.`)
  return spec
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
async function call<T>(work: () => Promise<unknown>): Promise<T> {
  try {
    return (await work()) as T
  } catch (error) {
    throw toHttpError(error)
  }
}

const optionsFor = (spec: ResourceSpec): RequestOptions => (spec.scoped ? businessHeader() : {})
const itemPath = (spec: ResourceSpec, id: RaRecord['id']) => `${spec.path}${encodeURIComponent(String(id))}/`

export const dataProvider: DataProvider = {
  getList: (resource, { pagination, sort, filter, signal }) =>
    call(async () => {
      const spec = specOf(resource)
      const query: Query = {
        page: pagination?.page ?? 1,
        page_size: pagination?.perPage ?? 25,
        ...orderingOf(spec, sort),
        ...filterQuery(filter ?? {}),
      }
      const body = await api.get<RaRecord[]>(spec.path, { ...optionsFor(spec), query, signal })
      return { data: body.data, total: body.meta?.pagination.total ?? body.data.length }
    }),
  getOne: (resource, { id, signal }) =>
    call(async () => {
      const spec = specOf(resource)
      return { data: (await api.get<RaRecord>(itemPath(spec, id), { ...optionsFor(spec), signal })).data }
    }),
  getMany: (resource, { ids, signal }) =>
    call(async () => {
      const spec = specOf(resource)
      const found = await Promise.all(
        ids.map((id) => api.get<RaRecord>(itemPath(spec, id), { ...optionsFor(spec), signal })),
      )
      return { data: found.map((body) => body.data) }
    }),
  getManyReference: (resource, { target, id, pagination, sort, filter, signal }) =>
    dataProvider.getList(resource, { pagination, sort, filter: { ...filter, [target]: id }, signal }),
  create: (resource, { data }) =>
    call(async () => {
      const spec = specOf(resource)
      return { data: (await api.post<RaRecord>(spec.path, data, optionsFor(spec))).data }
    }),
  update: (resource, { id, data, previousData }) =>
    call(async () => {
      const spec = specOf(resource)
      const body = changedFields(data as RaRecord, previousData)
      return { data: (await api.patch<RaRecord>(itemPath(spec, id), body, optionsFor(spec))).data }
    }),
  updateMany: (resource, { ids, data }) =>
    call(async () => {
      const spec = specOf(resource)
      await Promise.all(ids.map((id) => api.patch(itemPath(spec, id), data, optionsFor(spec))))
      return { data: ids }
    }),
  delete: (resource, { id, previousData }) =>
    call(async () => {
      const spec = specOf(resource)
      await api.delete(itemPath(spec, id), optionsFor(spec))
      return { data: (previousData ?? { id }) as never }
    }),
  deleteMany: (resource, { ids }) =>
    call(async () => {
      const spec = specOf(resource)
      await Promise.all(ids.map((id) => api.delete(itemPath(spec, id), optionsFor(spec))))
      return { data: ids }
    }),
}
