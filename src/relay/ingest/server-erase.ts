import type { FastifyInstance } from 'fastify'
import { checkErase, type CheckedErase } from '../../wire/erase.js'
import { PATHS } from '../../wire/types.js'
import type { EraseResponse } from '../../wire/server-types.js'
import type { EraseTarget } from '../store/erase-types.js'
import type { Store } from '../store/types.js'
import { MAX_REQUEST_BYTES } from './options.js'
import { requireServerToken } from './server-auth.js'

/**
 * `POST /v1/server/erase` from the site's backend, with
 * `Authorization: Bearer <SERVER_TOKEN>`: a person's right to erasure, on the
 * relay's side. It does not call eSputnik: the shop deletes the contact there
 * (`DELETE /api/v1/contact`, docs/esputnik-api.md), and this removes what the
 * relay still holds, which eSputnik cannot reach (README, "Erasing a person").
 */

export interface EraseOptions {
  store: Store
  now: () => number
  /** The built-in sandbox, when it is mounted: its recordings of the person go too. */
  sandbox?: { forget(identifiers: string[]): number }
}

export interface ServerEraseOptions extends EraseOptions {
  serverToken: string
}

export const toEraseTarget = ({ field, value }: CheckedErase): EraseTarget =>
  field == 'visitorId' ? { visitor: value } : { locator: field, value }

/** Erases one person from the store (and the sandbox); the answer counts what went, by kind. */
export async function erasePerson(o: EraseOptions, erase: CheckedErase): Promise<EraseResponse> {
  const { counts, identifiers } = await o.store.erase(toEraseTarget(erase), o.now())
  return { erased: { ...counts, sandboxRequests: o.sandbox?.forget(identifiers) ?? 0 } }
}

export async function serverEraseRoute(app: FastifyInstance, o: ServerEraseOptions) {
  requireServerToken(app, o.serverToken)
  app.post<{ Body: unknown }>(PATHS.serverErase, { bodyLimit: MAX_REQUEST_BYTES }, async (request, reply) => {
    const answer = await erasePerson(o, checkErase(request.body)) // a ValidationError becomes 400 with its reason
    const { visitors, links } = answer.erased
    // Counts only: the log must not keep what the erase removed.
    request.log.info({ visitors, links }, 'erased a person')
    return reply.code(200).send(answer)
  })
}
