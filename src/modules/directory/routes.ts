// /api/directory/: the public list of businesses customers book with, and one of them. No login.

import type { App } from '../../app-types.js'
import { Envelope, ListEnvelope, ok } from '../../platform/http/envelope.js'
import { IdParams } from '../../platform/http/inputs.js'
import { cursorsFor, listBody, readPageRequest } from '../../platform/http/pagination.js'
import { DirectoryBusinessSchema, DirectoryQuery } from './schemas.js'
import { type DirectoryDeps, directoryEntry, directoryOut, listDirectory } from './service.js'

export async function directoryRoutes(app: App, { deps }: { deps: DirectoryDeps }) {
  const tags = ['directory']

  app.get(
    '/api/directory/',
    {
      schema: {
        tags,
        summary: 'Active businesses with their staff, by name, for customers choosing one',
        querystring: DirectoryQuery,
        response: { 200: ListEnvelope(DirectoryBusinessSchema) },
      },
    },
    async (request) => {
      const page = readPageRequest(request.query, cursorsFor(request))
      return listBody(request, page, await listDirectory(deps, request.query, page), directoryOut)
    },
  )

  app.get(
    '/api/directory/:id/',
    {
      schema: {
        tags,
        summary: 'One active business with its staff',
        params: IdParams,
        response: { 200: Envelope(DirectoryBusinessSchema) },
      },
    },
    async (request) => ok(directoryOut(await directoryEntry(deps, request.params.id))),
  )
}
