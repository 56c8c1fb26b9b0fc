import { Writable } from 'node:stream'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createLoggerOptions, maskEmail, maskPhone, maskText, scrub } from '../../../src/relay/ops/log.js'

function capture() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk))
      done()
    },
  })
  return { log: pino(createLoggerOptions('info') as pino.LoggerOptions, stream), text: () => lines.join('') }
}

describe('PII masking in logs', () => {
  it.each([
    ['john@example.com', 'j***@example.com'],
    ['a@b.co', 'a***@b.co'],
  ])('masks the email %s as %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked)
  })

  it.each([
    ['380501234567', '380*****567'],
    ['+38 (050) 123-45-67', '380*****567'],
  ])('masks the phone %s as %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked)
  })

  it('masks emails and phones inside free text but leaves event ids alone', () => {
    expect(maskText('subscribe of john@example.com / +380501234567 for d59c6e6d-4123-4b0e-8c32-15f0656a8c60')).toBe(
      'subscribe of j***@example.com / 380*****567 for d59c6e6d-4123-4b0e-8c32-15f0656a8c60',
    )
  })

  it('masks by key, by {name, value} params and by {type, value} channels', () => {
    expect(
      scrub({
        email: 'john@example.com',
        phone: '380501234567',
        params: [{ name: 'phone', value: '380501234567' }, { name: 'search', value: 'mug' }],
        contact: { channels: [{ type: 'sms', value: '380942583691' }] },
      }),
    ).toEqual({
      email: 'j***@example.com',
      phone: '380*****567',
      params: [{ name: 'phone', value: '380*****567' }, { name: 'search', value: 'mug' }],
      contact: { channels: [{ type: 'sms', value: '380*****691' }] },
    })
  })

  it('never writes an email or phone into a log line, in the message, the object or an error', () => {
    const { log, text } = capture()
    log.info({ locators: { email: 'john@example.com', phone: '380501234567' } }, 'linked john@example.com')
    log.error({ err: new Error('eSputnik answered 400: duplicate contact mary@example.org 380931112233') }, 'failed')
    const out = text()
    expect(out).not.toMatch(/john@|mary@|380501234567|380931112233/)
    expect(out).toContain('j***@example.com')
    expect(out).toContain('m***@example.org')
  })
})
