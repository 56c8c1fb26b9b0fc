import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { sendFile, within } from './static.js'

export interface ShopRoutesOptions {
  /** demo/public: the pages and assets, served as they are (hand-written, no build step). */
  publicDir: string
  /** dist: the SDK's npm build, which the journal imports. */
  distDir: string
}

/** Pretty URLs of the shop → the page that renders them; the page reads the rest of the URL itself. */
const PAGES: [string, string][] = [
  ['/', 'index.html'],
  ['/c/:category', 'category.html'],
  ['/p/:id', 'product.html'],
  ['/cart', 'cart.html'],
  ['/wishlist', 'wishlist.html'],
  ['/search', 'search.html'],
  ['/login', 'login.html'],
  // The journal is a single-page app: every route under it is the same page.
  ['/journal', 'journal.html'],
  ['/journal/*', 'journal.html'],
]

/** The npm build as a bundler-less page imports it; nothing else under dist (the relay, its maps) is public. */
const DIST_FILES = new Set(['index.mjs', 'index.cjs', 'esputnik-tracker.min.js'])

/** The ES module of js-cookie, which dist/index.mjs leaves to the app; the journal's import map points here. */
const jsCookieFile = () => join(dirname(createRequire(import.meta.url).resolve('js-cookie')), 'js.cookie.mjs')

export async function shopRoutes(app: FastifyInstance, o: ShopRoutesOptions) {
  for (const [url, page] of PAGES) app.get(url, (_request, reply) => sendFile(reply, join(o.publicDir, page)))

  app.get<{ Params: { '*': string } }>('/assets/*', (request, reply) => sendFile(reply, within(join(o.publicDir, 'assets'), request.params['*'])))
  app.get('/favicon.ico', (_request, reply) => sendFile(reply, join(o.publicDir, 'assets', 'favicon.svg')))

  app.get<{ Params: { file: string } }>('/dist/:file', (request, reply) =>
    sendFile(reply, DIST_FILES.has(request.params.file) ? join(o.distDir, request.params.file) : undefined),
  )
  app.get('/vendor/js-cookie.mjs', (_request, reply) => sendFile(reply, jsCookieFile()))
}
