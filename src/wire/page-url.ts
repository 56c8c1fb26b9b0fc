import { ValidationError } from './schema.js'

const parse = (url: string, base?: string): URL | undefined => {
  try {
    return new URL(url, base)
  } catch {
    return undefined
  }
}

const isWeb = (url: URL | undefined): url is URL => url?.protocol == 'http:' || url?.protocol == 'https:'

/**
 * A pageViewed url as eSputnik's `page.location` needs it: absolute. An
 * absolute one is kept exactly as sent; a relative one (an SPA's
 * `pageViewed({url: '/p/1'})`) is resolved against `base`, the page address
 * the request came from. Throws a ValidationError with the reason otherwise.
 */
export function resolvePageUrl(url: string | undefined, base: string | undefined): string {
  if (url === undefined) throw new ValidationError('url is required (it becomes page.location)')
  const absolute = parse(url)
  if (absolute) {
    if (!isWeb(absolute)) throw new ValidationError('url must be an http or https address')
    return url
  }
  const origin = base === undefined ? undefined : parse(base)
  if (!isWeb(origin)) {
    throw new ValidationError(
      `url ${JSON.stringify(url.slice(0, 100))} is relative, and the request has no Origin or Referer to resolve it against`,
    )
  }
  const resolved = parse(url, origin.href)
  if (!isWeb(resolved)) throw new ValidationError(`url ${JSON.stringify(url.slice(0, 100))} cannot be made absolute`)
  return resolved.href
}
