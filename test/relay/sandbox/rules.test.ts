import { describe, expect, it } from 'vitest'
import { checkGenerateEvent, checkSubscribe, checkTokens } from '../../../src/relay/sandbox/rules.js'
import { WEB_EVENT_EXAMPLES } from '../esputnik/event-v2-examples.js'

const check = (body: unknown) => checkGenerateEvent(body, Buffer.byteLength(JSON.stringify(body)))
const event = (eventTypeKey: string, params: { name: string; value: unknown }[], keyValue?: string) => ({
  eventTypeKey,
  ...(keyValue === undefined ? {} : { keyValue }),
  params,
})

describe('the sandbox’s Generate event rules', () => {
  it.each(WEB_EVENT_EXAMPLES)('accepts eSputnik’s $type example', (ex) => {
    expect(check(ex.body)).toBeUndefined()
  })

  it('accepts nested values given as objects, the v2 form', () => {
    expect(check(event('pageViewed', [{ name: 'page', value: { location: 'https://x.io' } }], 'a@b.co'))).toBeUndefined()
  })

  it('takes the keyValue from a locator param when it is missing', () => {
    expect(check(event('pageViewed', [{ name: 'email', value: 'a@b.co' }, { name: 'page', value: '{"location":"x"}' }]))).toBeUndefined()
  })

  it.each<[string, unknown, RegExp]>([
    ['a body that is not an object', [], /JSON object/],
    ['no eventTypeKey', { params: [] }, /eventTypeKey is required/],
    ['an eventTypeKey with a comma', event('page,Viewed', [], 'k'), /forbidden character/],
    ['a keyValue over 300 characters', event('custom', [], 'k'.repeat(301)), /keyValue/],
    ['params that are not a list', { eventTypeKey: 'custom', keyValue: 'k', params: {} }, /params must be a list/],
    ['a repeated param name', event('custom', [{ name: 'a', value: 1 }, { name: 'a', value: 2 }], 'k'), /unique: a repeats/],
    ['no keyValue and no locator', event('custom', [{ name: 'x', value: 1 }]), /no keyValue and no contactId/],
    ['a "null" externalCustomerId as the only locator', event('custom', [{ name: 'externalCustomerId', value: 'null' }]), /no keyValue/],
    ['a pageViewed without page.location', event('pageViewed', [{ name: 'page', value: '{}' }], 'k'), /following params: \[page\.location\]/],
    ['a productViewed without price', event('productViewed', [{ name: 'product', value: '{"productId":"1"}' }], 'k'), /\[product\.price\]/],
    ['a cartUpdated without recycleStateId', event('cartUpdated', [{ name: 'products', value: '[]' }], 'k'), /\[recycleStateId\]/],
    ['a cart line without quantity', event('cartUpdated', [{ name: 'products', value: '[{"productId":"a","price":1}]' }, { name: 'recycleStateId', value: 'c' }], 'k'), /products\[0\]\.quantity/],
    ['a productImpressions with a bad recomVariantId', event('productImpressions', [{ name: 'recomVariantId', value: '12' }, { name: 'products', value: '[]' }], 'k'), /\[recomVariantId\]/],
    ['a searchRequest without search', event('searchRequest', [], 'k'), /\[search\]/],
  ])('refuses %s', (_name, body, message) => {
    expect(check(body)).toMatch(message)
  })

  it('refuses a body over 20 KB', () => {
    expect(checkGenerateEvent({}, 20 * 1024 + 1)).toMatch(/at most 20480/)
  })
})

describe('the sandbox’s Subscribe contact and tokens rules', () => {
  it.each<[string, unknown, RegExp | undefined]>([
    ['eSputnik’s Subscribe contact example', { contact: { channels: [{ type: 'email', value: 'mail@example.com' }, { type: 'sms', value: '380942583691' }], firstName: 'John' }, groups: ['Subscribers'], formType: 'abc' }, undefined],
    ['no contact', {}, /contact is required/],
    ['no channel', { contact: { channels: [] } }, /email or sms channel/],
    ['a bad email', { contact: { channels: [{ type: 'email', value: 'nope' }] } }, /Invalid email/],
    ['a bad phone', { contact: { channels: [{ type: 'sms', value: '12' }] } }, /Invalid phone/],
  ])('subscribe: %s', (_name, body, expected) => {
    const result = checkSubscribe(body)
    if (expected) expect(result).toMatch(expected)
    else expect(result).toBeUndefined()
  })

  it.each<[string, unknown, RegExp | undefined]>([
    ['a token with an email', { tokens: [{ token: '123456', email: 'a@b.co' }] }, undefined],
    ['no tokens', { tokens: [] }, /non-empty list/],
    ['a token without identifier', { tokens: [{ token: '123456' }] }, /contactId, externalCustomerId, phone or email/],
    ['an identifier without token', { tokens: [{ phone: '380501234567' }] }, /needs a token/],
  ])('tokens: %s', (_name, body, expected) => {
    const result = checkTokens(body)
    if (expected) expect(result).toMatch(expected)
    else expect(result).toBeUndefined()
  })
})
