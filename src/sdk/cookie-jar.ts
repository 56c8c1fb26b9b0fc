/**
 * The cookie calls identity.ts makes, with js-cookie's names and signatures.
 * The npm build passes js-cookie itself (index.ts). The script tag passes
 * `smallJar` (snippet.ts): js-cookie's whole API would be a fifth of the
 * script's 3 kB budget for these three calls on one cookie whose value is an
 * id (letters, digits, `-`). test/sdk/cookie-jar.test.ts checks that the two
 * write and read the same cookies.
 */
export interface CookieJar {
  get(name: string): string | undefined
  set(name: string, value: string, attributes: CookieAttributes): unknown
}

export interface CookieAttributes {
  /** Days from now; negative to delete. */
  expires: number
  /** Unset: the page's host only. */
  domain?: string
  sameSite: 'Lax'
  secure: boolean
}

/** What cannot be decoded is kept as it is, as js-cookie skips what it cannot read instead of throwing. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/**
 * Writes the cookie js-cookie writes (`path=/`, then the attributes), its
 * lifetime as `max-age` seconds (RFC 6265 §5.2.2) where js-cookie writes the
 * same moment as an `expires` date, which would cost a Date for nothing;
 * reads what it or another script wrote.
 */
export const smallJar: CookieJar = {
  get(name) {
    for (const pair of document.cookie.split('; ')) {
      const at = pair.indexOf('=')
      if (decode(pair.slice(0, at)) == name) return decode(pair.slice(at + 1))
    }
  },
  set(name, value, { expires, domain, sameSite, secure }) {
    document.cookie =
      `${encodeURIComponent(name)}=${encodeURIComponent(value)}; path=/; max-age=${expires * 86400}` +
      (domain ? `; domain=${domain}` : '') +
      `; sameSite=${sameSite}` +
      (secure ? '; secure' : '')
  },
}
