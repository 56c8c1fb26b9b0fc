import type { CookieJar } from './cookie-jar.js'
import type { ResolvedOptions } from './options.js'
import { isSecurePage } from './page.js'
import type { KV } from './storage.js'
import { randomId } from './uuid.js'

/** The only module that touches cookies (through the jar it is given). */
export interface Identity {
  /** The visitor id, created and stored on first use. */
  current(): string
  /** A new id, for a logout or a shared computer. */
  renew(): string
  /** Forgets the id everywhere (consent withdrawn). */
  erase(): void
}

/**
 * The visitor id lives in a first-party cookie, SameSite=Lax, renewed on each
 * visit, host-only unless `cookieDomain` names the domain to share it across
 * (a public-suffix probe would cost every visitor bytes for a choice the site
 * knows). Where cookies are blocked it falls back to the KV (localStorage,
 * else memory), so tracking goes on. An id another script left in the cookie
 * (eSputnik's own uses `sc`) is kept, so both agree on the visitor.
 */
export function createIdentity(
  { cookieName: name, cookieDays, cookieDomain: domain }: ResolvedOptions,
  kv: KV,
  jar: CookieJar,
): Identity {
  let id = ''
  const setCookie = (value: string, expires = cookieDays) =>
    jar.set(name, value, { expires, domain, sameSite: 'Lax', secure: isSecurePage() })
  const write = (value: string) => {
    setCookie(value)
    if (jar.get(name) != value) kv.set(name, value)
    return (id = value)
  }
  return {
    current: () => id || write(jar.get(name) || kv.get(name) || randomId()),
    renew: () => write(randomId()),
    erase() {
      id = ''
      setCookie('', -1)
      kv.remove(name)
    },
  }
}
