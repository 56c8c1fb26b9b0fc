import { describe, expect, it } from 'vitest'
import { renderPage } from '../../../src/relay/sandbox/page.js'
import { checkTokens } from '../../../src/relay/sandbox/rules.js'

const call = (body: unknown) => ({ seq: 1, at: 1_800_000_000_000, method: 'POST', path: '/api/v1/apps/app-0b6f9c1e/tokens', status: 200, authorized: true, body, reply: '' })

describe('the sandbox’s Add application tokens', () => {
  it('shows each token beside the identifier it goes to, with the app and the count, escaped', () => {
    const html = renderPage([call({ tokens: [{ token: '4242', contactId: 100001 }, { token: '<b>', email: 'a@example.com' }] })])
    expect(html).toContain('Telegram tokens')
    expect(html).toContain('app app-0b6f9c1e')
    expect(html).toContain('2 tokens')
    expect(html).toContain('<th>token 4242</th><td><pre>contactId 100001</pre></td>')
    expect(html).toContain('<th>token &lt;b&gt;</th><td><pre>email a@example.com</pre></td>')
  })

  it.each([
    ['a contactId as text', { tokens: [{ token: '1', contactId: '100001' }] }, /contactId must be an integer/],
    ['a token as a number', { tokens: [{ token: 4242, email: 'a@example.com' }] }, /needs a token, a string/],
    ['an email as a number', { tokens: [{ token: '1', email: 42 }] }, /email must be a string/],
  ])('refuses what AppToken does not allow: %s', (_name, body, expected) => {
    expect(checkTokens(body)).toMatch(expected)
  })
})
