import Cookies from 'js-cookie'
import { isId } from '../wire/batch.js'
import type { KV } from './storage.js'
import { randomId } from './uuid.js'

/** The only module that touches cookies. */
export interface Identity {
  /** The visitor id, created and stored on first use. */
  get(): string
  /** A new id, for a logout or a shared computer. */
  reset(): string
  /** Forgets the id everywhere (consent withdrawn). */
  clear(): void
}

export interface IdentityOptions {
  cookieName: string
  cookieDays: number
  cookieDomain?: string
  hostname: string
  isSecure: boolean
}

const PROBE = 'esputnik_probe'

/**
 * The widest domain that takes a cookie: `a.shop.example.co.uk` tries
 * `co.uk` (refused, a public suffix), then `example.co.uk`. Hosts without a
 * dot and IP addresses get a host-only cookie.
 */
export function findCookieDomain(hostname: string): string | undefined {
  if (!hostname.includes('.') || /^[\d.]+$|:/.test(hostname)) return
  const labels = hostname.split('.')
  for (let i = labels.length - 2; i >= 0; i--) {
    const domain = labels.slice(i).join('.')
    Cookies.set(PROBE, '1', { domain, sameSite: 'Lax' })
    if (Cookies.get(PROBE)) {
      Cookies.remove(PROBE, { domain })
      return domain
    }
  }
}

/**
 * The visitor id lives in a first-party cookie; where cookies are blocked it
 * falls back to the KV (localStorage, else memory), so tracking goes on.
 */
export function createIdentity(options: IdentityOptions, kv: KV): Identity {
  const { cookieName: name } = options
  const domain = options.cookieDomain ?? findCookieDomain(options.hostname)
  const attributes = { expires: options.cookieDays, path: '/', domain, sameSite: 'Lax' as const, secure: options.isSecure }
  let id: string | undefined

  const write = (value: string) => {
    Cookies.set(name, value, attributes)
    if (Cookies.get(name) !== value) kv.set(name, value)
    return (id = value)
  }

  return {
    get() {
      if (id) return id
      const found = Cookies.get(name) ?? kv.get(name)
      // Renewed on each visit so the 400 days count from the last one.
      return write(isId(found) ? found : randomId())
    },
    reset: () => write(randomId()),
    clear() {
      id = undefined
      Cookies.remove(name, { path: '/', domain })
      kv.remove(name)
    },
  }
}
