// Orders: *Place order* posts the cart to the shop's server (demo/server/orders.ts),
// which hands the order to the relay's POST /v1/server/orders with this
// visitor's cookie, as a real shop's backend would; the account page lists the
// orders and can mark the last one delivered (the backend sends DELIVERED).
import { orders } from './state.js'
import { escape, price } from './ui.js'

const post = async (url, body) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }).catch(() => undefined)
  const answer = await res?.json().catch(() => undefined)
  return res?.ok ? answer : { error: answer?.error ?? 'The shop could not be reached. Try again?' }
}

/** Places the order of these lines ([{productId, quantity, price, name?, category?}]); resolves to {orderId, totalCost, held} or {error}. */
export async function placeOrder(items) {
  const answer = await post('/demo/orders', { items })
  if (answer.orderId) orders.add({ orderId: answer.orderId, totalCost: answer.totalCost, placedAt: Date.now() })
  return answer
}

/** The account page's list of this browser's orders; empty when there are none. */
export function ordersCard() {
  const list = orders.list()
  if (!list.length) return ''
  const last = list.at(-1)
  const row = (o) => `<li data-order="${escape(o.orderId)}"><b>Order ${escape(o.orderId)}</b> <span class="muted">${price(o.totalCost)} · ${o.delivered ? 'Delivered' : 'On its way'}</span>
      ${o == last && !o.delivered ? `<button class="btn btn-ghost" data-delivered="${escape(o.orderId)}">Mark as delivered</button>` : ''}</li>`
  return `<div class="orders-card">
    <h2>Your orders</h2>
    <ul class="orders">${[...list].reverse().map(row).join('')}</ul>
    <p class="form-error" data-orders-error hidden></p>
    <p class="muted small">Delivery is the shop's news: its server tells eSputnik (orderDelivered, and the order's new status).</p>
  </div>`
}

/** Wires the card's button; `rerender` draws the page again once the order is delivered. */
export function mountOrders(root, rerender) {
  root.addEventListener('click', async (event) => {
    const button = event.target.closest('[data-delivered]')
    if (!button) return
    button.disabled = true
    const answer = await post(`/demo/orders/${encodeURIComponent(button.dataset.delivered)}/delivered`)
    if (answer.error) {
      const error = root.querySelector('[data-orders-error]')
      error.hidden = false
      error.textContent = answer.error
      button.disabled = false
      return
    }
    orders.delivered(button.dataset.delivered)
    rerender()
  })
}
