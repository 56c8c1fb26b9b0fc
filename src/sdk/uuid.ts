/**
 * A UUIDv4. `crypto.randomUUID` exists only in secure contexts (https and
 * localhost), so plain-http shops fall back to getRandomValues, which is
 * everywhere (the RFC 4122 template trick, as in the uuid package's docs).
 */
export const randomId = (): string =>
  crypto.randomUUID?.() ??
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
  )
