import { DEMO_TELEGRAM } from '../../demo/server/telegram.js'
import { waitForSandbox, type SandboxRequest } from '../support/sandbox.js'
import { expect, test } from './fixtures.js'
import { logIn, uniqueEmail } from './shop.js'

// "Get updates in Telegram" on the account page, with this test playing
// Telegram: it opens the link the page fetched ahead, then posts the bot's
// `/start <code>` update to the relay's webhook with the demo's secret, as
// Telegram does once the person presses Start; the sandbox then shows the
// Add application tokens call for the logged-in customer.

const TOKENS_PATH = `/api/v1/apps/${DEMO_TELEGRAM.TELEGRAM_APP_UUID}/tokens`
const tokensOf = (rs: SandboxRequest[]) =>
  rs.filter((r) => r.path == TOKENS_PATH && r.status == 200).flatMap((r) => (r.body as { tokens: Record<string, unknown>[] }).tokens)

test('the account page’s Telegram link, started in the bot, puts the chat on the customer in eSputnik', async ({ page, context, request }) => {
  const email = uniqueEmail('telegram')
  await page.goto('/')
  await logIn(page, email)

  // Fetched ahead onto a plain link, so the click opens it without a pop-up blocker in the way.
  const link = page.getByRole('link', { name: 'Get updates in Telegram' })
  await expect(link).toHaveAttribute('href', new RegExp(`^https://t\\.me/${DEMO_TELEGRAM.TELEGRAM_BOT_USERNAME}\\?start=[A-Za-z0-9_-]{1,64}$`))
  const url = new URL((await link.getAttribute('href'))!)
  const code = url.searchParams.get('start')!

  // No network to Telegram here: its page is stood in for, to see the link open as a new tab.
  await context.route('https://t.me/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Telegram</title>' }))
  const [tab] = await Promise.all([context.waitForEvent('page'), link.click()])
  await expect(tab).toHaveURL(url.toString())
  await tab.close()

  // Telegram's side: the person pressed Start in the bot's chat.
  const chatId = 700_000_000 + Math.floor(Math.random() * 100_000_000)
  const update = {
    update_id: chatId,
    message: { message_id: 1, date: Math.floor(Date.now() / 1000), from: { id: chatId, is_bot: false, first_name: 'Olena' }, chat: { id: chatId, type: 'private', first_name: 'Olena' }, text: `/start ${code}` },
  }
  const forged = await request.post('/v1/telegram/webhook', { data: update, headers: { 'x-telegram-bot-api-secret-token': 'not-the-secret-0000000000' } })
  expect(forged.status(), 'an update without the secret is refused').toBe(401)
  const answer = await request.post('/v1/telegram/webhook', { data: update, headers: { 'x-telegram-bot-api-secret-token': DEMO_TELEGRAM.TELEGRAM_WEBHOOK_SECRET } })
  expect(answer.status()).toBe(200)
  const masked = `${email[0]}***@example.com`
  expect(await answer.json(), 'the bot’s reply names the customer masked').toEqual({
    method: 'sendMessage',
    chat_id: chatId,
    text: DEMO_TELEGRAM.TELEGRAM_WELCOME_TEXT.replace('{contact}', masked),
  })

  const requests = await waitForSandbox(request, (rs) => tokensOf(rs).some((t) => t.token == String(chatId)), {
    message: 'the Add application tokens call for the chat',
    describe: (rs) => JSON.stringify(tokensOf(rs)),
  })
  expect(tokensOf(requests).filter((t) => t.token == String(chatId))).toEqual([{ token: String(chatId), email }])
})
