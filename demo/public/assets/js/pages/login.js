import { mountLayout } from '../layout.js'
import { mountOrders, ordersCard } from '../orders.js'
import { account } from '../state.js'
import { mountTelegram, telegramCard } from '../telegram.js'
import { track } from '../track.js'
import { escape } from '../ui.js'

mountLayout()
const main = document.querySelector('main')

function render() {
  const user = account.user()
  const who = user?.email ?? user?.externalCustomerId
  main.innerHTML = who
    ? `<div class="wrap auth"><div class="auth-card">
        <p class="eyebrow">Your account</p><h1>Welcome back</h1>
        <p class="lead">You are logged in as <b>${escape(who)}</b>. From now on your visits count for this customer, and your earlier browsing on this device has joined it.</p>
        <div class="hero-actions"><a class="btn" href="/">Continue shopping</a><button class="btn btn-ghost" data-logout>Log out</button></div>
        ${telegramCard()}
        ${ordersCard()}
      </div></div>`
    : `<div class="wrap auth"><form class="auth-card" data-login novalidate>
        <p class="eyebrow">Your account</p><h1>Log in</h1>
        <label>Email or customer number<input name="login" autocomplete="username" placeholder="you@example.com or C-1042" required></label>
        <label>Password<input name="password" type="password" autocomplete="current-password" placeholder="Any password works in the demo"></label>
        <button class="btn btn-large btn-block">Log in</button>
        <p class="form-error" hidden></p>
        <p class="muted small">The shop's server checks the password (here: any) and signs who you are; the page passes that signature to eSputnik's <code>identify</code>, so nobody can claim another customer's history.</p>
      </form>${ordersCard() && `<div class="auth-card">${ordersCard()}</div>`}</div>`
  if (who) mountTelegram(main)
}

async function logIn(form) {
  const login = form.login.value.trim()
  const error = form.querySelector('.form-error')
  const res = await fetch('/demo/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(login.includes('@') ? { email: login } : { customerId: login }),
  }).catch(() => undefined)
  const answer = await res?.json().catch(() => undefined)
  if (!res?.ok || !answer?.signature) {
    error.hidden = false
    error.textContent = answer?.error ?? 'The shop could not log you in. Try again?'
    return
  }
  // answer is {email, signature} or {externalCustomerId, signature}, exactly what identify takes.
  track('identify', answer)
  account.signIn(answer.email ? { email: answer.email } : { externalCustomerId: answer.externalCustomerId })
  render()
}

main.addEventListener('submit', (event) => {
  if (!event.target.closest('[data-login]')) return
  event.preventDefault()
  logIn(event.target)
})
mountOrders(main, render)
render()
