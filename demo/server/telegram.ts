/**
 * The demo shop's Telegram bot: a name and a webhook secret for the sandbox
 * only. No bot of that name answers in Telegram and nothing is sent to it;
 * the demo's e2e test (e2e/demo/telegram.spec.ts) plays Telegram's side and
 * posts the `/start` update with this secret. A real shop sets its own bot's
 * settings (README, "Telegram").
 */
export const DEMO_TELEGRAM = {
  TELEGRAM_APP_UUID: 'demo-kettle-and-leaf-bot',
  TELEGRAM_BOT_USERNAME: 'KettleAndLeafDemoBot',
  TELEGRAM_WEBHOOK_SECRET: 'demo-webhook-secret-for-the-sandbox-only',
  TELEGRAM_WELCOME_TEXT: 'Kettle & Leaf: order updates for {contact} will come to this chat.',
} as const
