import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { chooseEncoding, type SdkEncoding } from './accept-encoding.js'

export interface SdkScriptRouteOptions {
  /** The IIFE build, `dist/esputnik-tracker.min.js`. */
  file: string
}

interface Variant {
  body: Buffer
  etag: string
}

/** The file as last read: its mtime and size when read, and its encodings (one read and compression per change, however many requests ask at once). */
interface Cached {
  mtimeMs: number
  size: number
  variants: Promise<Record<SdkEncoding, Variant>>
}

/**
 * Short max-age: the URL carries no version (sites paste one `<script
 * src=".../sdk.js">` and never edit it), so a new relay version must reach
 * visitors within minutes; stale-while-revalidate keeps pages fast while it
 * is fetched again, and the ETag makes that a 304 when nothing changed.
 */
export const SDK_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400'

const brotli = promisify(brotliCompress)
const gzipped = promisify(gzip)

/** True when an If-None-Match header names this ETag (or is `*`). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header.split(',').some((tag) => {
    const t = tag.trim()
    return t == '*' || t.replace(/^W\//, '') == etag
  })
}

/**
 * The file in each encoding, compressed once per content (at boot, and again
 * after a rebuild) at the best levels, rather than per request: the file is
 * the same for every visitor, so a per-request compressor (@fastify/compress)
 * would spend CPU on every beacon page for the same bytes. Each encoding has
 * an ETag of its own, as a strong validator must (RFC 9110, section 8.8.1).
 */
async function encode(body: Buffer): Promise<Record<SdkEncoding, Variant>> {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22)
  const [br, gz] = await Promise.all([
    brotli(body, {
      params: { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
    gzipped(body, { level: 9 }),
  ])
  return {
    identity: { body, etag: `"${hash}"` },
    br: { body: br, etag: `"${hash}-br"` },
    gzip: { body: gz, etag: `"${hash}-gz"` },
  }
}

/**
 * `GET /sdk.js`: the SDK served first-party, so sites need no CDN and block
 * lists have no third-party host to match; brotli or gzip by the client's
 * Accept-Encoding. The file is re-read only when its mtime or size changes
 * (a rebuild), and answered 304 for a matching ETag.
 */
export async function sdkScriptRoute(app: FastifyInstance, o: SdkScriptRouteOptions) {
  let cached: Cached | undefined

  async function load(): Promise<Record<SdkEncoding, Variant> | undefined> {
    let info
    try {
      info = await stat(o.file)
    } catch {
      return undefined
    }
    if (!cached || cached.mtimeMs != info.mtimeMs || cached.size != info.size) {
      cached = { mtimeMs: info.mtimeMs, size: info.size, variants: readFile(o.file).then(encode) }
    }
    return cached.variants.catch(() => undefined)
  }
  await load()

  app.get('/sdk.js', async (request, reply) => {
    const sdk = await load()
    if (!sdk) {
      return reply
        .code(503)
        .header('cache-control', 'no-store')
        .send({ error: 'The SDK bundle is not built yet: run `npm run build` to create dist/esputnik-tracker.min.js' })
    }
    const encoding = chooseEncoding(request.headers['accept-encoding'])
    const { body, etag } = sdk[encoding]
    reply
      .header('etag', etag)
      .header('cache-control', SDK_CACHE_CONTROL)
      .header('vary', 'Accept-Encoding')
      .header('x-content-type-options', 'nosniff')
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send()
    if (encoding != 'identity') reply.header('content-encoding', encoding)
    return reply.type('text/javascript; charset=utf-8').send(body)
  })
}
