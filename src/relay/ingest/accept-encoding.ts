/** The encodings `/sdk.js` is kept in. */
export type SdkEncoding = 'br' | 'gzip' | 'identity'

/** Each coding's weight in an Accept-Encoding header (RFC 9110, section 12.5.3); `*` stands for any coding not named. */
function weights(header: string): Map<string, number> {
  const found = new Map<string, number>()
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    if (!coding) continue
    const q = params.find((p) => p.startsWith('q='))
    const weight = q === undefined ? 1 : Number(q.slice(2))
    found.set(coding, Number.isFinite(weight) ? weight : 0)
  }
  return found
}

/**
 * The smallest encoding the client accepts: brotli, then gzip, else the
 * plain file. A higher weight for gzip than for br picks gzip; identity is
 * always acceptable here (the file is small, and a 406 would only break the
 * page).
 */
export function chooseEncoding(header: string | string[] | undefined): SdkEncoding {
  if (!header) return 'identity'
  const w = weights(Array.isArray(header) ? header.join(',') : header)
  const of = (coding: string) => w.get(coding) ?? w.get('*') ?? 0
  const br = of('br')
  const gzip = Math.max(of('gzip'), w.get('x-gzip') ?? 0)
  if (br > 0 && br >= gzip) return 'br'
  if (gzip > 0) return 'gzip'
  return 'identity'
}
