import { readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'

/**
 * Checks an upstream request body against eSputnik's own OpenAPI definition
 * (test/fixtures/yespo-openapi.json, from the docs.yespo.io sources), so a
 * test can say "eSputnik's definition accepts every body the relay sent".
 */

const DEFINITION_ID = 'yespo'
const definition = JSON.parse(readFileSync(new URL('../fixtures/yespo-openapi.json', import.meta.url), 'utf8'))

// The definition gives EventParameter.value `type: object` beside
// `oneOf: [String, Object]`, which no string could pass; read it as the oneOf
// says: a string or an object (docs/esputnik-api.md, "Generate event v2").
definition.components.schemas.EventParameter.properties.value = {
  oneOf: [{ type: 'string' }, { type: 'object' }],
}

const ajv = new Ajv({ strict: false, allErrors: true })
addFormats.default(ajv)
ajv.addSchema(definition, DEFINITION_ID)

/** The request body schema of each operation the relay calls, by the path it posts to. */
const BODY_SCHEMAS: Array<[RegExp, string]> = [
  [/\/api\/v2\/event$/, 'Event'],
  [/\/api\/v2\/past_events$/, 'BatchPastEventsV2'],
  [/\/api\/v1\/contact\/subscribe$/, 'SubscribeContact'],
  [/\/api\/v1\/orders$/, 'Orders'],
  [/\/api\/v1\/apps\/[^/]+\/tokens$/, 'AppTokens'],
]

const compiled = new Map<string, ValidateFunction>()

function validatorFor(path: string): ValidateFunction {
  const hit = BODY_SCHEMAS.find(([pattern]) => pattern.test(path))
  if (!hit) throw new Error(`no request schema is known for POST ${path}`)
  const name = hit[1]
  let validate = compiled.get(name)
  if (!validate) {
    validate = ajv.compile({ $ref: `${DEFINITION_ID}#/components/schemas/${name}` })
    compiled.set(name, validate)
  }
  return validate
}

/** The definition's complaints about one body, empty when it validates. */
export function upstreamBodyErrors(path: string, body: unknown): string[] {
  const validate = validatorFor(path)
  if (validate(body)) return []
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}`)
}

/** The schema name a path's body is checked against, e.g. `Event` for /api/v2/event. */
export function bodySchemaOf(path: string): string | undefined {
  return BODY_SCHEMAS.find(([pattern]) => pattern.test(path))?.[1]
}
