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

/**
 * Pretty URLs of the shop → its layout (demo/public/layout.html) with this
 * title and page script; the script reads the rest of the URL itself.
 */
const PAGES: [url: string, page: string, title: string][] = [
  ['/', 'home', 'Kettle &amp; Leaf · Tea, mugs and tea things'],
  ['/c/:category', 'category', 'Kettle &amp; Leaf'],
  ['/p/:id', 'product', 'Kettle &amp; Leaf'],
  ['/cart', 'cart', 'Your cart · Kettle &amp; Leaf'],
  ['/wishlist', 'wishlist', 'Your wishlist · Kettle &amp; Leaf'],
  ['/search', 'search', 'Search · Kettle &amp; Leaf'],
  ['/login', 'login', 'Log in · Kettle &amp; Leaf'],
]

/** The npm build as a bundler-less page imports it; nothing else under dist (the relay, its maps) is public. */
const DIST_FILES = new Set(['index.mjs', 'index.cjs', 'esputnik-tracker.min.js'])

/** The ES module of js-cookie, which dist/index.mjs leaves to the app; the journal's import map points here. */
const jsCookieFile = () => join(dirname(createRequire(import.meta.url).resolve('js-cookie')), 'js.cookie.mjs')

export async function shopRoutes(app: FastifyInstance, o: ShopRoutesOptions) {
  for (const [url, page, title] of PAGES) app.get(url, (_request, reply) => sendFile(reply, join(o.publicDir, 'layout.html'), 200, { page, title }))
  // The journal is a single-page app on the SDK's npm build: every route under it is its own page.
  for (const url of ['/journal', '/journal/*']) app.get(url, (_request, reply) => sendFile(reply, join(o.publicDir, 'journal.html')))

  app.get<{ Params: { '*': string } }>('/assets/*', (request, reply) => sendFile(reply, within(join(o.publicDir, 'assets'), request.params['*'])))
  app.get('/favicon.ico', (_request, reply) => sendFile(reply, join(o.publicDir, 'assets', 'favicon.svg')))

  app.get<{ Params: { file: string } }>('/dist/:file', (request, reply) =>
    sendFile(reply, DIST_FILES.has(request.params.file) ? join(o.distDir, request.params.file) : undefined),
  )
  app.get('/vendor/js-cookie.mjs', (_request, reply) => sendFile(reply, jsCookieFile()))
}
