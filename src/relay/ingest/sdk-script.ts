import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'

export interface SdkScriptRouteOptions {
  /** The IIFE build, `dist/esputnik-tracker.min.js`. */
  file: string
}

interface Cached {
  mtimeMs: number
  size: number
  body: Buffer
  etag: string
}

/** True when an If-None-Match header names this ETag (or is `*`). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header.split(',').some((tag) => {
    const t = tag.trim()
    return t == '*' || t.replace(/^W\//, '') == etag
  })
}

/**
 * `GET /sdk.js`: the SDK served first-party, so sites need no CDN and block
 * lists have no third-party host to match. The file is re-read only when its
 * mtime or size changes (a rebuild), and answered 304 for a matching ETag.
 */
export async function sdkScriptRoute(app: FastifyInstance, o: SdkScriptRouteOptions) {
  let cached: Cached | undefined

  async function load(): Promise<Cached | undefined> {
    let info
    try {
      info = await stat(o.file)
    } catch {
      return undefined
    }
    if (cached && cached.mtimeMs == info.mtimeMs && cached.size == info.size) return cached
    const body = await readFile(o.file)
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`
    cached = { mtimeMs: info.mtimeMs, size: info.size, body, etag }
    return cached
  }

  app.get('/sdk.js', async (request, reply) => {
    const sdk = await load()
    if (!sdk) {
      return reply
        .code(503)
        .header('cache-control', 'no-store')
        .send({ error: 'The SDK bundle is not built yet: run `npm run build` to create dist/esputnik-tracker.min.js' })
    }
    // Short max-age: the URL has no version, so a new build must reach visitors soon; the ETag makes revalidation cheap.
    reply
      .header('etag', sdk.etag)
      .header('cache-control', 'public, max-age=300, stale-while-revalidate=86400')
      .header('x-content-type-options', 'nosniff')
    if (matchesEtag(request.headers['if-none-match'], sdk.etag)) return reply.code(304).send()
    return reply.type('text/javascript; charset=utf-8').send(sdk.body)
  })
}
