import { describe, expect, it } from 'vitest'
import { buildSubscribeBody, contactIdOf } from '../../../src/relay/esputnik/subscribe.js'

describe('buildSubscribeBody', () => {
  it('builds eSputnik’s example Subscribe contact body from a stored request', () => {
    const request = {
      id: 'request-0001',
      visitor: 'visitor-0001',
      ts: 1,
      email: 'mail@example.com',
      phone: '380942583691',
      firstName: 'John',
      lastName: 'Smith',
      fields: [{ id: '12345', value: '...' }],
      groups: ['Subscribers'],
      formType: 'abc',
    }
    expect(buildSubscribeBody(request)).toEqual({
      contact: {
        channels: [{ type: 'email', value: 'mail@example.com' }, { type: 'sms', value: '380942583691' }],
        firstName: 'John',
        lastName: 'Smith',
        fields: [{ id: '12345', value: '...' }],
      },
      groups: ['Subscribers'],
      formType: 'abc',
    })
  })

  it('sends only what was given', () => {
    expect(buildSubscribeBody({ id: 'request-0002', visitor: 'visitor-0001', ts: 1, phone: '380501234567', externalCustomerId: 'c-1' })).toEqual({
      contact: { channels: [{ type: 'sms', value: '380501234567' }], externalCustomerId: 'c-1' },
    })
  })
})

describe('contactIdOf', () => {
  it.each<[number, string, string | undefined]>([
    [200, '{"id":100001}', '100001'],
    [200, '{"id":"42"}', '42'],
    [409, 'Duplicated request', undefined],
    [200, '', undefined],
    [200, '{"id":"x; drop"}', undefined],
    [200, '{"id":1.5}', undefined],
  ])('reads the contact id of a %i answer %s as %s', (status, body, id) => {
    expect(contactIdOf({ status, body })).toBe(id)
  })
})
