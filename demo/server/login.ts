import { createHmac } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { normalizeEmail } from '../../src/wire/contact.js'

/** What the shop's log-in form posts: an email, or the customer number of the shop's own records. */
export interface LoginRequest {
  email?: unknown
  customerId?: unknown
}

export type LoginAnswer = { signature: string; email: string } | { signature: string; externalCustomerId: string }

/** A customer number as shops write them: letters, digits, `-`, `_`, `.`; at most 64. */
const CUSTOMER_ID = /^[\w.-]{1,64}$/

/**
 * The identify signature the relay checks: hex HMAC-SHA256 of the secret over
 * the externalCustomerId, else the email as the relay normalises it (trimmed,
 * lower-cased). A real shop computes it after checking the password; this demo
 * takes anyone at their word.
 */
export function signLogin(secret: string, input: LoginRequest): LoginAnswer | undefined {
  const sign = (subject: string) => createHmac('sha256', secret).update(subject).digest('hex')
  if (typeof input.customerId == 'string' && CUSTOMER_ID.test(input.customerId.trim())) {
    const externalCustomerId = input.customerId.trim()
    return { externalCustomerId, signature: sign(externalCustomerId) }
  }
  const email = normalizeEmail(input.email)
  return email ? { email, signature: sign(email) } : undefined
}

/** `POST /demo/login`: the shop's backend half of a log-in, which the page then passes to `identify`. */
export async function loginRoute(app: FastifyInstance, o: { secret: string }) {
  app.post<{ Body: LoginRequest | undefined }>('/demo/login', async (request, reply) => {
    const answer = signLogin(o.secret, request.body ?? {})
    if (!answer) return reply.code(400).send({ error: 'Enter an email address or a customer number (letters, digits, - _ .)' })
    return answer
  })
}
