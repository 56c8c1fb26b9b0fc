// A stand-in for the relay and a static web host, for the browser scenarios
// (e2e/scenarios) in every engine and the Playwright specs.
// Plain node:http and no dependencies, so it starts in milliseconds and cannot
// drift with the real relay: it only records what the browser sent.
//
//   GET    /health              200 ok
//   GET    /sdk.js              dist/esputnik-tracker.min.js (or $SDK_FILE), read fresh on every request
//   GET    /<name>.html         e2e/fixtures/<name>.html
//   POST   /v1/e                records the batch, 202 {"accepted":n,"rejected":[]}
//   POST   /v1/subscribe        records it, 202 {}
//   POST   /v1/identify         records it, 202 {}
//   GET    /beacons             every recorded POST, oldest first
//   DELETE /beacons             forgets them, any pending failures and both switches below
//   POST   /control/fail?n=3    the next n POSTs to /v1/* answer 503 (still recorded)
//   POST   /control/offline?on=1  until ?on=0, POSTs to /v1/* get their connection cut, unrecorded:
//                               a network that is down, for an engine that cannot take a page offline
//   POST   /control/cookies?blocked=1  until ?blocked=0, every fixture page opens with document.cookie
//                               reading empty and ignoring writes, for an engine with no such switch
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const PORT = Number(process.env.PORT ?? 4173)
const HOST = '127.0.0.1'
const root = fileURLToPath(new URL('..', import.meta.url))
// SDK_FILE serves another build, e.g. to try the specs against an experiment.
const sdkFile = process.env.SDK_FILE ?? `${root}dist/esputnik-tracker.min.js`
const fixtures = `${root}e2e/fixtures/`

/** @type {{receivedAt: number, path: string, status: number, contentType: string, body: unknown, raw?: string}[]} */
let beacons = []
let failNext = 0
let offline = false
let cookiesBlocked = false

// As a browser set to refuse cookies shows it to a script: first in <head>, before any other script runs.
const BLOCK_COOKIES = `<script>Object.defineProperty(Document.prototype, 'cookie', { configurable: true, get: () => '', set: () => {} })</script>`

function send(res, status, body, type = 'application/json') {
  const text = typeof body == 'string' ? body : JSON.stringify(body)
  res.writeHead(status, {
    'content-type': type,
    // Pages are same-origin with this server; the header only helps if a page is opened elsewhere.
    'access-control-allow-origin': '*',
    // A reload must fetch the SDK and pages again, never reuse a stale copy.
    'cache-control': 'no-store',
  })
  res.end(text)
}

async function readBody(req) {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

async function record(req, res, path) {
  const text = await readBody(req)
  const entry = { receivedAt: Date.now(), path, status: 202, contentType: req.headers['content-type'] ?? '', body: null }
  try {
    entry.body = JSON.parse(text)
  } catch {
    entry.raw = text
    entry.status = 400
  }
  // A failing relay still sees the request: tests can check that retries really happened.
  if (entry.status == 202 && failNext > 0) {
    failNext--
    entry.status = 503
  }
  beacons.push(entry)
  if (entry.status == 400) return send(res, 400, { error: 'body is not JSON' })
  if (entry.status == 503) return send(res, 503, { error: 'relay unavailable (injected by /control/fail)' })
  if (path == '/v1/e') {
    const n = Array.isArray(entry.body?.events) ? entry.body.events.length : 0
    return send(res, 202, { accepted: n, rejected: [] })
  }
  send(res, 202, {})
}

async function serveFile(res, file, type, transform = (text) => text) {
  let text
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return false
  }
  send(res, 200, transform(text), type)
  return true
}

const withSwitches = (html) => (cookiesBlocked ? html.replace('<head>', `<head>\n  ${BLOCK_COOKIES}`) : html)

/** Reads an on/off switch: `?on=1` (or `?blocked=1`) is on, anything else off. */
const isOn = (url, name) => url.searchParams.get(name) == '1'

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', `http://${HOST}:${PORT}`)
  const route = `${req.method} ${url.pathname}`
  try {
    if (req.method == 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST, DELETE',
        'access-control-allow-headers': 'content-type',
      })
      return res.end()
    }
    if (route == 'GET /health') return send(res, 200, 'ok', 'text/plain')
    if (route == 'GET /sdk.js') {
      if (await serveFile(res, sdkFile, 'text/javascript')) return
      return send(res, 503, `// ${sdkFile} is missing: run \`npx rollup -c\` (or npm run build) first\n`, 'text/javascript')
    }
    if (req.method == 'POST' && ['/v1/e', '/v1/subscribe', '/v1/identify'].includes(url.pathname)) {
      // The browser sees what it sees offline: a network error, no answer at all.
      if (offline) return req.socket.destroy()
      return await record(req, res, url.pathname)
    }
    if (route == 'GET /beacons') return send(res, 200, beacons)
    if (route == 'DELETE /beacons') {
      beacons = []
      failNext = 0
      offline = false
      cookiesBlocked = false
      return send(res, 200, { cleared: true })
    }
    if (route == 'POST /control/fail') {
      failNext = Math.max(0, Number(url.searchParams.get('n') ?? 1) || 0)
      return send(res, 200, { failNext })
    }
    if (route == 'POST /control/offline') return send(res, 200, { offline: (offline = isOn(url, 'on')) })
    if (route == 'POST /control/cookies') return send(res, 200, { cookiesBlocked: (cookiesBlocked = isOn(url, 'blocked')) })
    // Only plain names, so a request can never climb out of e2e/fixtures.
    const page = /^\/([\w-]+\.html)$/.exec(url.pathname)
    if (req.method == 'GET' && page && (await serveFile(res, fixtures + page[1], 'text/html; charset=utf-8', withSwitches))) return
    send(res, 404, { error: `no route for ${route}` })
  } catch (error) {
    send(res, 500, { error: String(error) })
  }
})

server.listen(PORT, HOST, () => console.log(`fixture server on http://${HOST}:${PORT}`))
// Playwright stops the web server with a signal; exit at once (open keep-alive
// connections would hold server.close) so the port is free for the next run.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0))
