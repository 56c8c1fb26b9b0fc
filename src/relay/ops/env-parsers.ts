/** The parsers of the env schema: each turns the raw text into a value or throws the line the error shows. */

export const int = (min: number, max: number) => (raw: string) => {
  const n = Number(raw)
  if (!/^-?\d+$/.test(raw) || n < min || n > max) throw new Error(`must be an integer from ${min} to ${max}`)
  return n
}

export const oneOf =
  <T extends string>(...values: T[]) =>
  (raw: string): T => {
    const hit = values.find((v) => v.toLowerCase() == raw.toLowerCase())
    if (!hit) throw new Error(`must be one of ${values.join(', ')}`)
    return hit
  }

export const flag = (raw: string) => {
  if (/^(1|true|yes|on)$/i.test(raw)) return true
  if (/^(0|false|no|off)$/i.test(raw)) return false
  throw new Error('must be true or false')
}

export function origin(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`${raw} is not a URL`)
  }
  if (!/^https?:$/.test(url.protocol)) throw new Error(`${raw} must be http or https`)
  if (url.origin != raw.replace(/\/$/, '')) throw new Error(`${raw} must be a bare origin such as https://shop.example.com`)
  return url.origin
}

/** Comma-separated exact origins; `*` is refused on purpose, the relay never echoes any Origin. */
export const origins = (raw: string) => {
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean)
  if (list.includes('*')) throw new Error('must list exact origins; * is not allowed')
  return list.map(origin)
}

/** An origin, optionally with a path prefix (another relay's `/sandbox`); no query or hash. */
export function baseUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`${raw} is not a URL`)
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash) throw new Error('must be an http(s) URL without query or hash')
  return url.origin + url.pathname.replace(/\/+$/, '')
}

export function trustProxy(raw: string): boolean | number | string[] {
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() == 'true'
  if (/^\d+$/.test(raw)) return Number(raw)
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean)
  if (!list.every((s) => /^[\d.:a-f/]+$/i.test(s))) throw new Error('must be true, false, a hop count or a list of IPs/CIDRs')
  return list
}

/** A libpq-style URL; its password stays out of every message (the spec is secret). */
export function postgresUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error('is not a URL; expected postgres://user:password@host:5432/database')
  }
  if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error('must start with postgres:// or postgresql://')
  return raw
}

/** RFC 6265's cookie-name token, so it cannot smuggle attributes into Set-Cookie. */
export function cookieName(raw: string): string {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(raw)) throw new Error('must be a cookie name such as sc (letters, digits and !#$%&\'*+-.^_`|~)')
  return raw
}

export const status = (raw: string) => {
  const n = int(100, 599)(raw)
  if (n < 400) throw new Error('must be an HTTP error status such as 500, 429 or 401')
  return n
}

export const text = (raw: string) => raw

/** A shared secret: long enough that guessing it is hopeless. */
export const secret = (raw: string) => {
  if (raw.length < 16) throw new Error('must be at least 16 characters; use e.g. `openssl rand -hex 32`')
  return raw
}
