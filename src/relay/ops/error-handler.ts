import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ValidationError } from '../../wire/schema.js'

/** Friendlier words for fastify's own 4xx errors. */
function describe(error: FastifyError, request: FastifyRequest): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `body must be at most ${request.routeOptions.bodyLimit ?? 'the limit of'} bytes`
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `content type ${JSON.stringify(request.headers['content-type'] ?? '')} is not accepted; send text/plain or application/json`
    default:
      return error.message
  }
}

/**
 * The one error handler: ValidationError → 400 with its reason, other 4xx keep
 * their message, 5xx are logged and answered without details.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ValidationError) return reply.code(400).send({ error: error.message })
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed')
    return reply.code(status).send({ error: STATUS_CODES[status] ?? 'Server Error' })
  }
  return reply.code(status).send({ error: describe(error, request) })
}
