import type { CookieSerializeOptions } from '@fastify/cookie'

/**
 * Safari (ITP) caps a cookie written by a page's script at 7 days, so a
 * visitor who comes back after a week would start a new visitor id, and the
 * history before it would never be joined to the contact. A cookie set by an
 * HTTP response of the shop's own origin is not capped. So when the relay
 * answers on the shop's origin (a path behind the shop's reverse proxy; the
 * SDK's fetch sends cookies only there), it re-issues the SDK's cookie with
 * each batch and it keeps its full lifetime.
 *
 * It only ever extends the cookie the request carries, with the same value:
 * it never creates one (whether there is an id at all is the SDK's and the
 * visitor's consent's call) and never changes one (a batch sealed before
 * `reset()` must not bring back the old id).
 */
export interface VisitorCookieOptions {
  /** The SDK's `cookieName`. */
  name: string
  /** The SDK's `cookieDomain`; host-only when unset, as the SDK's default. */
  domain?: string
  /** @default 400, the most browsers keep a cookie */
  days?: number
}

/**
 * The Set-Cookie to send, or undefined when the request's cookie is not this
 * visitor's. `secure`: the request came over https, as fastify's
 * `request.protocol` tells, which reads X-Forwarded-Proto only from a proxy
 * TRUST_PROXY trusts (so a client cannot ask for, or drop, the flag itself).
 */
export function refreshVisitorCookie(
  options: VisitorCookieOptions,
  cookies: Record<string, string | undefined>,
  visitor: string,
  secure: boolean,
): { name: string; value: string; attributes: CookieSerializeOptions } | undefined {
  if (cookies[options.name] !== visitor) return undefined
  return {
    name: options.name,
    value: visitor,
    // What the SDK's js-cookie call writes, so the two are one cookie, not two.
    attributes: {
      path: '/',
      domain: options.domain || undefined,
      maxAge: (options.days ?? 400) * 86_400,
      sameSite: 'lax',
      secure,
    },
  }
}
