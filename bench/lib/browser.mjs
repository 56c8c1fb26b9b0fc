// Debian's Chromium through Playwright's API (no test runner), with the
// flags in CHROMIUM_ARGS (headless, no sandbox, no GPU, no QUIC, no
// background traffic); and a tiny loopback web host for the pages the
// benches load.
import { chromium } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { distSnapshot } from './relay.mjs'

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

/**
 * Serves `pages` (`{'/x.html': html}`) and the SDK's script-tag build at
 * /sdk.js, with cross-origin isolation headers, so performance.now() has
 * 5 µs steps instead of 100 µs. `onPost(path, body)` answers POSTs (a relay
 * stand-in); unset, POSTs get 404.
 */
export async function pageHost({ pages, onPost, isolate = true }) {
  const sdk = readFileSync(join(distSnapshot(), 'esputnik-tracker.min.js'))
  const server = createServer((req, res) => {
    const headers = isolate
      ? { 'cache-control': 'no-store', 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' }
      : { 'cache-control': 'no-store' }
    if (req.method == 'POST' && onPost) {
      const chunks = []
      req.on('data', (c) => chunks.push(c))
      req.on('end', () => {
        const [status, body] = onPost(req.url, Buffer.concat(chunks).toString())
        res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(body)
      })
      return
    }
    if (req.url == '/sdk.js') return res.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(sdk)
    const page = pages[req.url.split('?')[0]]
    if (page) return res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(page)
    res.writeHead(404, headers).end()
  })
  server.keepAliveTimeout = 1000
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${server.address().port}`
  return { url, close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))) }
}

/** The page a site would have: the one-line stub, then the SDK's tag with `data` attributes. */
export function sitePage(data, body = '') {
  const attrs = Object.entries(data).map(([k, v]) => ` data-${k}="${v}"`).join('')
  return `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>
<script>window.esputnik=window.esputnik||function(){(esputnik.q=esputnik.q||[]).push(arguments)}</script>
<script async src="/sdk.js"${attrs}></script></head><body>${body}</body></html>`
}
