// @vitest-environment happy-dom
import Cookies from 'js-cookie'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { smallJar, type CookieAttributes } from '../../src/sdk/cookie-jar.js'
import { freshPage } from './support/page.js'

/** Every string written to document.cookie while `write` runs. */
function cookieWrites(write: () => void): string[] {
  const writes: string[] = []
  let proto = Object.getPrototypeOf(document)
  while (!Object.getOwnPropertyDescriptor(proto, 'cookie')) proto = Object.getPrototypeOf(proto)
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'cookie')!
  const spy = vi.spyOn(document, 'cookie', 'set').mockImplementation((value: string) => {
    writes.push(value)
    descriptor.set!.call(document, value)
  })
  write()
  spy.mockRestore()
  return writes
}

/**
 * js-cookie's write with its `expires` date as the seconds from now, the
 * `max-age` the small jar writes for the same moment.
 */
const asMaxAge = (write: string) =>
  write.replace(/expires=([^;]+)/, (_, date: string) => `max-age=${(Date.parse(date) - Date.now()) / 1000}`)

/** In the order identity.ts passes them: js-cookie writes them in the order of the object. */
const attributes = ({ expires = 400, domain, secure = true }: Partial<CookieAttributes> = {}): CookieAttributes => ({
  expires,
  domain,
  sameSite: 'Lax',
  secure,
})

beforeEach(() => {
  freshPage('https://shop.example.com/')
  // One clock for both writes, so their expiry dates are the same text.
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-01T10:00:00Z') })
})

afterEach(() => vi.useRealTimers())

describe("the script tag's small cookie jar, against js-cookie", () => {
  it.each([
    ['a UUID', 'sc', '3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d', attributes()],
    ['an id on plain http (no Secure)', 'sc', 'lq2x9k3abc', attributes({ secure: false })],
    ['an id shared with a cookie domain', 'sc', 'es-visitor-123', attributes({ domain: 'example.com' })],
    ['another cookie name and lifetime', 'shop_vid', 'v-1', attributes({ expires: 30 })],
  ])('writes %s as js-cookie does, its lifetime in seconds', (_, name, value, attrs) => {
    const small = cookieWrites(() => smallJar.set(name, value, attrs))
    freshPage('https://shop.example.com/')
    const theirs = cookieWrites(() => Cookies.set(name, value, attrs))
    expect(small).toEqual(theirs.map(asMaxAge))
    expect(small[0]).toContain(`max-age=${attrs.expires * 86400};`)
  })

  it.each([
    ['a UUID', '3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d'],
    ['an encoded value', 'a b;c=d%é'],
  ])('reads %s that js-cookie wrote, and js-cookie reads what it wrote', (_, value) => {
    Cookies.set('sc', value)
    expect(smallJar.get('sc')).toBe(value)
    freshPage('https://shop.example.com/')
    smallJar.set('sc', value, attributes())
    expect(Cookies.get('sc')).toBe(value)
  })

  it('finds its cookie among others, and answers undefined when there is none', () => {
    expect(smallJar.get('sc')).toBeUndefined()
    Cookies.set('_ga', 'GA1.1.1')
    Cookies.set('sc', 'v-1')
    Cookies.set('scx', 'not this one')
    expect(smallJar.get('sc')).toBe('v-1')
  })

  it('does not throw on a cookie it cannot decode, and still reads its own', () => {
    document.cookie = 'broken=%E0%A4%A; path=/'
    Cookies.set('sc', 'v-1')
    expect(() => smallJar.get('broken')).not.toThrow()
    expect(smallJar.get('sc')).toBe('v-1')
  })

  it('deletes a cookie with a lifetime of -1 day, its domain given, as js-cookie does', () => {
    freshPage('https://shop.example.com/')
    Cookies.set('sc', 'v-1', { domain: 'example.com' })
    smallJar.set('sc', '', attributes({ expires: -1, domain: 'example.com' }))
    expect(Cookies.get('sc')).toBeUndefined()
    smallJar.set('sc', 'v-2', attributes())
    Cookies.remove('sc')
    expect(smallJar.get('sc')).toBeUndefined()
  })
})
