import { readFile } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import type { FastifyReply } from 'fastify'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
}

/** `rel` inside `root`, or undefined when it would climb out (`..`, an absolute path). */
export function within(root: string, rel: string): string | undefined {
  const base = resolve(root)
  const file = resolve(base, `.${sep}${rel}`)
  return file.startsWith(base + sep) ? file : undefined
}

/**
 * Sends a file read fresh from disk, so a rebuilt SDK or an edited page shows
 * on the next reload; `no-cache` makes the browser ask every time. A missing
 * file is a 404. With `fill`, the file is a template whose `{{name}}`s take
 * those values (trusted HTML from the server's own route table).
 */
export async function sendFile(reply: FastifyReply, file: string | undefined, status = 200, fill?: Record<string, string>): Promise<FastifyReply> {
  let body: Buffer | string | undefined
  try {
    if (file) body = await readFile(file)
  } catch {
    // missing or a folder: answered below
  }
  if (!body) return reply.code(404).type('text/plain; charset=utf-8').send('Not found')
  if (fill) body = body.toString('utf8').replace(/\{\{(\w+)\}\}/g, (_, name: string) => fill[name] ?? '')
  return reply
    .code(status)
    .type(TYPES[extname(file!)] ?? 'application/octet-stream')
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .send(body)
}
