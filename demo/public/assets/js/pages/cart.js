import { productArt } from '../art.js'
import { PRODUCTS, categoryById, productById } from '../catalog.js'
import { mountLayout } from '../layout.js'
import { placeOrder } from '../orders.js'
import { cart } from '../state.js'
import { trackCart, whenTracker } from '../track.js'
import { escape, grid, price, productUrl } from '../ui.js'

mountLayout()
const main = document.querySelector('main')
const FREE_SHIPPING = 40
/** The order once "Place order" went through ({orderId, held}): the page thanks instead of showing the (new, empty) cart. */
let placed

function line({ id, qty }) {
  const p = productById(id)
  return `<li class="line" data-line="${p.id}">
    <a class="line-media" href="${productUrl(p)}" style="--tint:${categoryById(p.category).tint}">${productArt(p)}</a>
    <div class="line-info"><a href="${productUrl(p)}"><b>${escape(p.name)}</b></a><span class="muted small">${escape(p.size)} · ${price(p.price)}</span></div>
    <div class="stepper" role="group" aria-label="Quantity of ${escape(p.name)}">
      <button data-step="-1" aria-label="One less">−</button><output>${qty}</output><button data-step="1" aria-label="One more">+</button>
    </div>
    <b class="line-total">${price(p.price * qty)}</b>
    <button class="link-button" data-remove aria-label="Remove ${escape(p.name)}">Remove</button>
  </li>`
}

function render() {
  if (placed) return thank(placed)
  const lines = cart.lines()
  const subtotal = lines.reduce((sum, l) => sum + productById(l.id).price * l.qty, 0)
  const shipping = subtotal >= FREE_SHIPPING || !subtotal ? 0 : 4.9
  main.innerHTML = `<div class="wrap">
    <h1>Your cart</h1>
    ${
      lines.length
        ? `<div class="cart">
        <ul class="lines">${lines.map(line).join('')}</ul>
        <aside class="summary">
          <div><span>Subtotal</span><b>${price(subtotal)}</b></div>
          <div><span>Shipping</span><b>${shipping ? price(shipping) : 'Free'}</b></div>
          ${shipping ? `<p class="muted small">Add ${price(FREE_SHIPPING - subtotal)} more for free shipping.</p>` : ''}
          <div class="total"><span>Total</span><b>${price(subtotal + shipping)}</b></div>
          <button class="btn btn-large btn-block" data-checkout>Place order</button>
          <p class="form-error" data-checkout-error hidden></p>
          <p class="muted small">This is a demo: nothing is charged or shipped.</p>
        </aside>
      </div>`
        : `<div class="empty-state"><p class="lead">Your cart is empty.</p><a class="btn" href="/c/tea">Browse the teas</a></div>`
    }
  </div>
  <section class="wrap section"><div class="section-head"><h2>Often brewed together</h2></div>${grid(PRODUCTS.filter((p) => p.inStock && !lines.some((l) => l.id == p.id)).slice(0, 4))}</section>`
}

function thank({ orderId, held }) {
  // A visitor eSputnik does not know yet: the relay holds the order until they log in or subscribe.
  const note = held ? ' eSputnik gets the order once you log in or subscribe.' : ''
  main.innerHTML = `<div class="wrap empty-state"><p class="eyebrow">Order ${escape(orderId)}</p><h1>Thank you!</h1>
    <p class="lead">Your tea is on its way (in the demo sense). A new cart starts now.${note}</p>
    <div class="hero-actions"><a class="btn" href="/">Keep browsing</a><a class="btn btn-ghost" href="/login">Your orders</a></div></div>`
}

const orderLines = () =>
  cart.lines().map(({ id, qty }) => {
    const p = productById(id)
    return { productId: p.id, quantity: qty, price: p.price, name: p.name, category: p.category }
  })

async function checkout(button) {
  button.disabled = true
  const tracker = await whenTracker()
  // The cart's last change reaches the relay before the order does, so the relay knows the cart it closes.
  await tracker?.flush()
  const items = orderLines()
  const order = await placeOrder(items)
  if (!order.orderId) {
    const error = main.querySelector('[data-checkout-error]')
    error.hidden = false
    error.textContent = order.error
    button.disabled = false
    return
  }
  placed = order
  cart.clear()
  // The order closes this cart: the next cartUpdated gets a new recycleStateId. The thank-you
  // helper does that and sends the order from the page too; the relay keeps one orderCreated of both.
  if (tracker?.purchased) tracker.purchased({ orderId: order.orderId, totalCost: order.totalCost, items })
  else tracker?.cart.reset()
}

main.addEventListener('click', (event) => {
  const id = event.target.closest('[data-line]')?.dataset.line
  const step = event.target.closest('[data-step]')
  if (id && step) cart.add(id, Number(step.dataset.step))
  else if (id && event.target.closest('[data-remove]')) cart.remove(id)
  else if (event.target.closest('[data-checkout]')) return checkout(event.target.closest('[data-checkout]'))
  else return
  // Every change sends the whole cart, and an emptied cart is a cart too.
  trackCart()
})
// Any change of the cart, here or by a card's "Add to cart" (handled by the layout), redraws it.
addEventListener('demo:change', (event) => event.detail == 'demo:cart' && render())

render()
