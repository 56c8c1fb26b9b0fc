import { rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { matchesEtag } from '../../../src/relay/ingest/sdk-script.js'
import { startTestRelay, tempDir, type TestRelay } from '../helpers.js'

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
