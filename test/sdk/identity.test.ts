// @vitest-environment happy-dom
import Cookies from 'js-cookie'
import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { smallJar, type CookieJar } from '../../src/sdk/cookie-jar.js'
import { createIdentity } from '../../src/sdk/identity.js'
import { DEFAULTS, type ResolvedOptions } from '../../src/sdk/options.js'
import { createStorage } from '../../src/sdk/storage.js'
import { freshPage } from './support/page.js'

const options = (extra: Partial<ResolvedOptions> = {}) => ({ ...DEFAULTS, endpoint: '/', ...extra }) as ResolvedOptions

/** What a real browser would be told: the Set-Cookie string the jar writes. */
function spyCookieWrites() {
  const writes: string[] = []
  let proto = Object.getPrototypeOf(document)
  while (!Object.getOwnPropertyDescriptor(proto, 'cookie')) proto = Object.getPrototypeOf(proto)
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'cookie')!
  vi.spyOn(document, 'cookie', 'set').mockImplementation((value: string) => {
    writes.push(value)
    descriptor.set!.call(document, value)
  })
  return writes
}

/** A written cookie's lifetime in days: js-cookie writes an `expires` date, the small jar `max-age` seconds. */
function lifetimeDays(cookie: string): number {
  const maxAge = cookie.match(/max-age=(-?\d+)/)
  if (maxAge) return Number(maxAge[1]) / 86400
  return (Date.parse(cookie.match(/expires=([^;]+)/)![1]!) - Date.now()) / 864e5
}

beforeEach(() => {
  vi.restoreAllMocks()
  freshPage('https://shop.example.com/')
})

// The npm build writes the cookie with js-cookie, the script tag with its own
// small jar (src/sdk/cookie-jar.ts): both must behave the same.
describe.each<[string, CookieJar]>([
  ['with js-cookie (npm build)', Cookies],
  ['with the small jar (script tag)', smallJar],
])('createIdentity %s', (_, jar) => {
  it('gives a new visitor a random id in the sc cookie', () => {
    const id = createIdentity(options(), createStorage(), jar).current()
    expect(id).toMatch(/^[\da-f-]{36}$/)
    expect(Cookies.get('sc')).toBe(id)
  })

  it('writes the cookie first-party, SameSite=Lax, Secure on https, for 400 days', () => {
    const writes = spyCookieWrites()
    createIdentity(options(), createStorage(), jar).current()
    const cookie = writes.find((w) => w.startsWith('sc='))!
    expect(cookie).toMatch(/; path=\/(;|$)/)
    expect(cookie).toMatch(/; sameSite=Lax(;|$)/)
    expect(cookie).toMatch(/; secure(;|$)/)
    expect(lifetimeDays(cookie)).toBeCloseTo(400, 0)
  })

  it('leaves Secure off on plain http, where the browser would refuse the cookie', () => {
    freshPage('http://shop.example.com/')
    const writes = spyCookieWrites()
    createIdentity(options(), createStorage(), jar).current()
    expect(writes.find((w) => w.startsWith('sc='))).not.toMatch(/secure/)
  })

  it('shares the cookie across subdomains when cookieDomain names the domain', () => {
    freshPage('https://shop.example.com/')
    const writes = spyCookieWrites()
    createIdentity(options({ cookieDomain: 'example.com' }), createStorage(), jar).current()
    expect(writes.find((w) => w.startsWith('sc='))).toMatch(/; domain=example\.com/)
  })

  it("keeps an id eSputnik's own script already left in sc, and renews its lifetime", () => {
    Cookies.set('sc', 'es-visitor-123')
    const writes = spyCookieWrites()
    expect(createIdentity(options(), createStorage(), jar).current()).toBe('es-visitor-123')
    const renewed = writes.find((w) => w.startsWith('sc=es-visitor-123;'))!
    expect(lifetimeDays(renewed)).toBeCloseTo(400, 0)
  })

  it('keeps the same id for the next page load', () => {
    const first = createIdentity(options(), createStorage(), jar).current()
    expect(createIdentity(options(), createStorage(), jar).current()).toBe(first)
  })

  it('honours another cookie name', () => {
    const id = createIdentity(options({ cookieName: 'shop_vid' }), createStorage(), jar).current()
    expect(Cookies.get('shop_vid')).toBe(id)
    expect(Cookies.get('sc')).toBeUndefined()
  })

  it('gives a new id on reset, for a logout', () => {
    const identity = createIdentity(options(), createStorage(), jar)
    const before = identity.current()
    const after = identity.renew()
    expect(after).not.toBe(before)
    expect(Cookies.get('sc')).toBe(after)
  })

  it('keeps the id in localStorage when cookies are blocked, so tracking goes on', () => {
    // One own property for both halves (two spies would restore each other's mock), removed at the end.
    Object.defineProperty(document, 'cookie', { configurable: true, get: () => '', set: () => {} })
    onTestFinished(() => void delete (document as { cookie?: string }).cookie)
    const id = createIdentity(options(), createStorage(), jar).current()
    expect(localStorage.getItem('sc')).toBe(id)
    expect(createIdentity(options(), createStorage(), jar).current()).toBe(id)
  })

  it('forgets a cookie shared across subdomains, its domain given', () => {
    const identity = createIdentity(options({ cookieDomain: 'example.com' }), createStorage(), jar)
    identity.current()
    identity.erase()
    expect(Cookies.get('sc')).toBeUndefined()
  })

  it('forgets the id everywhere on erase (consent withdrawn)', () => {
    const identity = createIdentity(options(), createStorage(), jar)
    const id = identity.current()
    localStorage.setItem('sc', id)
    identity.erase()
    expect(Cookies.get('sc')).toBeUndefined()
    expect(localStorage.getItem('sc')).toBeNull()
    expect(identity.current()).not.toBe(id)
  })
})
