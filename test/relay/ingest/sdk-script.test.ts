import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { get, type IncomingHttpHeaders } from 'node:http'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseEncoding } from '../../../src/relay/ingest/accept-encoding.js'
import { matchesEtag } from '../../../src/relay/ingest/sdk-script.js'
import { startTestRelay, tempDir, type TestRelay } from '../helpers.js'

/** GET over the wire as sent, body undecoded (fetch would ask for and undo the compression itself). */
function raw(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    }).on('error', reject)
  })
}

describe('GET /sdk.js', () => {
  const dir = tempDir()
  const file = join(dir, 'esputnik-tracker.min.js')
  let relay: TestRelay
  beforeAll(async () => {
    relay = await startTestRelay({ env: { SDK_FILE: file }, config: { autoStart: false } })
  })
  afterAll(async () => {
    await relay.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers 503 with a clear message while the bundle is not built', async () => {
    const res = await fetch(`${relay.url}/sdk.js`)
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: string }).error).toMatch(/run `npm run build`/)
  })

  it('serves the bundle as JavaScript with an ETag and cache headers, and 304 when unchanged', async () => {
    writeFileSync(file, '!function(){window.esputnik=1}();')
    const res = await fetch(`${relay.url}/sdk.js`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/)
    expect(await res.text()).toBe('!function(){window.esputnik=1}();')
    const etag = res.headers.get('etag')!
    expect(etag).toMatch(/^"[\w-]+"$/)
    expect(res.headers.get('vary')).toBe('Accept-Encoding')

    const again = await fetch(`${relay.url}/sdk.js`, { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(etag)
  })

  it('serves a rebuilt bundle under a new ETag', async () => {
    const before = (await fetch(`${relay.url}/sdk.js`)).headers.get('etag')!
    writeFileSync(file, '!function(){window.esputnik=2}();')
    utimesSync(file, new Date(), new Date(Date.now() + 5000))
    const res = await fetch(`${relay.url}/sdk.js`, { headers: { 'if-none-match': before } })
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).not.toBe(before)
    expect(await res.text()).toContain('esputnik=2')
  })

  it.each([
    ['gzip', 'gzip', gunzipSync],
    ['gzip, deflate, br', 'br', brotliDecompressSync],
    ['br;q=0.5, gzip', 'gzip', gunzipSync],
  ])('comes %s-encoded when asked (Accept-Encoding: %s), with an ETag of its own and 304 for it', async (accept, encoding, decode) => {
    const built = readFileSync('dist/esputnik-tracker.min.js')
    writeFileSync(file, built)
    const plain = await raw(`${relay.url}/sdk.js`)
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.equals(built)).toBe(true)

    const res = await raw(`${relay.url}/sdk.js`, { 'accept-encoding': accept })
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBe(encoding)
    expect(res.headers.vary).toBe('Accept-Encoding')
    expect(res.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400')
    expect(decode(res.body).equals(built)).toBe(true)
    // The "3 kB" of the README is the compressed size of the script tag.
    expect(res.body.length).toBeLessThan(built.length / 1.5)
    expect(Number(res.headers['content-length'])).toBe(res.body.length)
    expect(res.headers.etag).not.toBe(plain.headers.etag)

    const again = await raw(`${relay.url}/sdk.js`, { 'accept-encoding': accept, 'if-none-match': res.headers.etag! })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
    expect(again.headers.etag).toBe(res.headers.etag)
  })

  it.each<[string | undefined, string]>([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, br', 'br'],
    ['br;q=0.8, gzip;q=0.9', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['deflate', 'identity'],
    ['GZIP', 'gzip'],
  ])('picks an encoding for Accept-Encoding %j: %s', (header, encoding) => {
    expect(chooseEncoding(header)).toBe(encoding)
  })

  it.each([
    ['"abc"', '"abc"', true],
    ['W/"abc"', '"abc"', true],
    ['"x", "abc"', '"abc"', true],
    ['*', '"abc"', true],
    ['"abd"', '"abc"', false],
    [undefined, '"abc"', false],
  ])('matches If-None-Match %s against %s: %s', (header, etag, expected) => {
    expect(matchesEtag(header, etag)).toBe(expected)
  })
})
