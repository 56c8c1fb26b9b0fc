import { describe, expect, it } from 'vitest'
import { checkIdentify, checkServerIdentify, checkSubscribe } from '../../src/wire/requests.js'

const envelope = { v: 1, id: 'request-0001', ts: 1_732_379_999_000, visitor: 'visitor-wire-1' }

describe('checkSubscribe', () => {
  it('normalises the email and phone and keeps the fields eSputnik takes', () => {
    const input = { email: '  John.Smith@Example.COM ', phone: '+38 (050) 123-45-67', firstName: 'John', externalCustomerId: 42, groups: ['Subscribers'], formType: 'footer', fields: [{ id: 12345, value: 'x' }] }
    expect(checkSubscribe({ ...input, ...envelope })).toEqual({
      ...envelope,
      email: 'john.smith@example.com',
      phone: '380501234567',
      firstName: 'John',
      externalCustomerId: '42',
      groups: ['Subscribers'],
      formType: 'footer',
      fields: [{ id: 12345, value: 'x' }],
    })
  })

  it.each<[string, object, string]>([
    ['no email or phone', { firstName: 'J' }, 'subscribe needs an email or a phone'],
    ['a bad email', { email: 'john@' }, 'email is not a valid email address'],
    ['a bad phone', { phone: '12-34' }, 'phone is not a valid phone number in international form'],
    ['a misspelt field', { mail: 'a@b.co' }, 'subscribe takes no field "mail"; it takes v, id, ts, visitor, currencyCode, email, phone, firstName, lastName, externalCustomerId, groups, formType, fields'],
    ['a number as email', { email: 5 }, 'email must be a string of 1 to 1000 characters'],
    ['groups that are not strings', { email: 'a@b.co', groups: 'VIP' }, 'groups must be a list of strings'],
    ['a formType with spaces', { email: 'a@b.co', formType: 'pop up' }, 'formType must be up to 50 letters, digits, _ . or -'],
    ['a field without value', { email: 'a@b.co', fields: [{ id: 1 }] }, 'fields[0].value must be a string of 1 to 1000 characters'],
    ['a blank externalCustomerId', { email: 'a@b.co', externalCustomerId: '   ' }, 'externalCustomerId must be a customer id: a string of 1 to 200 characters, or a whole number'],
    ['no visitor', { email: 'a@b.co', visitor: undefined }, 'visitor must be an id of 8 to 64 letters, digits, - or _'],
    ['a short id', { email: 'a@b.co', id: 'x' }, 'id must be an id of 8 to 64 letters, digits, - or _'],
    ['no time', { email: 'a@b.co', ts: 'now' }, 'ts must be a time in milliseconds'],
    ['another version', { email: 'a@b.co', v: 2 }, 'v must be 1'],
  ])('refuses %s with a reason', (_name, input, reason) => {
    expect(() => checkSubscribe(JSON.parse(JSON.stringify({ ...envelope, ...input })))).toThrow(reason)
  })

  it('takes the site’s currencyCode the SDK puts on every request, and leaves it out', () => {
    expect(checkSubscribe({ ...envelope, currencyCode: 'USD', email: 'a@b.co' })).toEqual({ ...envelope, email: 'a@b.co' })
    expect(() => checkSubscribe({ ...envelope, currencyCode: 'usd', email: 'a@b.co' })).toThrow('currencyCode must be an ISO 4217 code like USD')
    expect(checkIdentify({ ...envelope, currencyCode: 'UAH', externalCustomerId: 'c-1' })).toEqual({ ...envelope, externalCustomerId: 'c-1' })
  })

  it('refuses a body that is not an object', () => {
    expect(() => checkSubscribe([])).toThrow('body must be a JSON object')
  })
})

describe('checkIdentify', () => {
  const signature = 'ab'.repeat(32)

  it('keeps the signature for the relay to verify and normalises the email', () => {
    expect(checkIdentify({ ...envelope, email: ' A@B.Co ', signature })).toEqual({ ...envelope, email: 'a@b.co', signature })
  })

  it('passes a missing or odd signature on as missing: the relay answers 401', () => {
    expect(checkIdentify({ ...envelope, externalCustomerId: 'c-1' }).signature).toBeUndefined()
    expect(checkIdentify({ ...envelope, externalCustomerId: 'c-1', signature: 5 }).signature).toBeUndefined()
  })

  it.each<[object, string]>([
    [{ phone: '380501234567', signature }, 'identify needs an externalCustomerId or an email (the signature covers one of them)'],
    [{ email: 'nope', signature }, 'email is not a valid email address'],
    [{ externalCustomerId: 'c-1', name: 'x' }, 'identify takes no field "name"'],
  ])('refuses %j with a reason', (input, reason) => {
    expect(() => checkIdentify({ ...envelope, ...input })).toThrow(reason)
  })
})

describe('checkServerIdentify', () => {
  it('takes a phone alone: the site’s backend is trusted', () => {
    expect(checkServerIdentify({ visitorId: 'visitor-wire-1', phone: '+380501234567' })).toEqual({ visitorId: 'visitor-wire-1', phone: '380501234567' })
  })

  it.each<[object, string]>([
    [{ visitorId: 'visitor-wire-1' }, 'identify needs an externalCustomerId, an email or a phone'],
    [{ visitorId: 'x', email: 'a@b.co' }, 'visitorId must be an id of 8 to 64 letters, digits, - or _'],
    [{ visitor: 'visitor-wire-1', email: 'a@b.co' }, 'server identify takes no field "visitor"'],
  ])('refuses %j with a reason', (input, reason) => {
    expect(() => checkServerIdentify(input)).toThrow(reason)
  })
})
