// The frame of every page: the demo bar, the header (navigation, search,
// wishlist, cart, account), the footer with the newsletter form, and the
// shop-wide behaviour of "Add to cart" buttons and subscribe forms.
import { LOGO } from './art.js'
import { CATEGORIES, productById } from './catalog.js'
import { account, cart, newsletter, wishlist } from './state.js'
import { track, trackCart, whenTracker } from './track.js'
import { escape, icons, toast } from './ui.js'

const NAV = [...CATEGORIES.map((c) => [`/c/${c.id}`, c.name]), ['/journal', 'Journal']]

function header(active) {
  const links = NAV.map(([href, label]) => `<a href="${href}"${href == active ? ' aria-current="page"' : ''}>${escape(label)}</a>`).join('')
  return `<div class="demo-bar"><div class="wrap">
      <span class="demo-label">Demo shop</span>
      <span class="demo-status" data-demo-status></span>
      <a class="demo-link" href="/sandbox" target="_blank">${icons.pulse} What eSputnik receives</a>
    </div></div>
    <div class="wrap header-row">
      <a class="brand" href="/">${LOGO}<span>Kettle <em>&amp;</em> Leaf</span></a>
      <nav class="main-nav" aria-label="Shop">${links}</nav>
      <form class="search" action="/search" role="search">
        <input name="q" type="search" placeholder="Search tea, mugs, kettles…" aria-label="Search the shop" autocomplete="off">
        <button aria-label="Search">${icons.search}</button>
      </form>
      <div class="header-actions">
        <a class="icon-link" href="/wishlist" aria-label="Wishlist">${icons.heart}<span class="badge" data-count="wishlist"></span></a>
        <a class="icon-link" href="/cart" aria-label="Cart">${icons.bag}<span class="badge" data-count="cart"></span></a>
        <span data-account></span>
      </div>
    </div>`
}

const footer = () => `<div class="wrap footer-grid">
    <div>
      <a class="brand" href="/">${LOGO}<span>Kettle <em>&amp;</em> Leaf</span></a>
      <p class="muted">Small-batch tea and the things to brew it in, since 2019. Free shipping over $40.</p>
    </div>
    <div><h4>Shop</h4>${NAV.map(([href, label]) => `<a href="${href}">${escape(label)}</a>`).join('')}</div>
    <div><h4>Help</h4><a href="/login">Your account</a><a href="/wishlist">Wishlist</a><a href="/cart">Cart</a><a href="/sandbox">What eSputnik receives</a></div>
    <div class="footer-news">
      <h4>Letters from the tea shelf</h4>
      <p class="muted">New harvests and brewing notes, twice a month.</p>
      ${subscribeForm('footer')}
    </div>
  </div>
  <div class="wrap footer-base muted small">© Kettle &amp; Leaf · a demo of esputnik-tracker: every click here is an eSputnik web event.</div>`

/** A newsletter form; `formType` tells eSputnik which form a contact came from. */
export function subscribeForm(formType, { withName = false, button = 'Subscribe' } = {}) {
  const done = newsletter.email()
  if (done) return `<p class="subscribed">You are on the list as <b>${escape(done)}</b>. Thank you!</p>`
  return `<form class="subscribe" data-subscribe="${formType}" novalidate>
    ${withName ? '<input name="firstName" placeholder="First name" aria-label="First name" autocomplete="given-name">' : ''}
    <input name="email" type="email" placeholder="you@example.com" aria-label="Email for the newsletter" autocomplete="email" required>
    <button class="btn">${button}</button>
    <p class="form-error" hidden></p>
  </form>`
}

function onSubscribe(form) {
  const email = form.email.value.trim()
  const firstName = form.firstName?.value.trim()
  const error = form.querySelector('.form-error')
  if (!/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email)) {
    error.hidden = false
    error.textContent = 'Please enter an email address like name@example.com.'
    return
  }
  track('subscribe', { email, ...(firstName ? { firstName } : {}), groups: ['Newsletter'], formType: form.dataset.subscribe })
  newsletter.subscribed(email)
  form.outerHTML = `<p class="subscribed">Welcome aboard! <b>${escape(email)}</b> is on the list.</p>`
  toast('Subscribed. Your browsing so far now joins your contact in eSputnik.')
}

function addToCart(id) {
  cart.add(id)
  trackCart()
  const p = productById(id)
  toast(`<b>${escape(p.name)}</b> is in your cart. <a href="/cart">View cart</a>`)
}

async function logOut() {
  const tracker = await whenTracker()
  // A new visitor id: what happens next on this browser is no longer this customer's.
  tracker?.reset()
  account.signOut()
  newsletter.forget()
  location.href = '/'
}

function refresh() {
  for (const el of document.querySelectorAll('[data-count]')) {
    const n = el.dataset.count == 'cart' ? cart.count() : wishlist.ids().length
    el.textContent = n || ''
    el.hidden = !n
  }
  const user = account.user()
  const who = user?.email ?? user?.externalCustomerId
  const slot = document.querySelector('[data-account]')
  slot.innerHTML = who
    ? `<span class="account">${icons.user}<span class="account-name">${escape(who)}</span></span><button class="link-button" data-logout>Log out</button>`
    : `<a class="account" href="/login">${icons.user}<span>Log in</span></a>`
  const linked = who ?? newsletter.email()
  document.querySelector('[data-demo-status]').innerHTML = linked
    ? `Linked to <b>${escape(linked)}</b>: events go to eSputnik at once`
    : 'Anonymous visitor: events are held until you subscribe or log in'
}

/** Renders the frame around `main` and wires the shop-wide buttons and forms. */
export function mountLayout({ active = '' } = {}) {
  const top = document.createElement('header')
  top.className = 'site-header'
  top.innerHTML = header(active)
  const bottom = document.createElement('footer')
  bottom.className = 'site-footer'
  bottom.innerHTML = footer()
  document.body.prepend(top)
  document.body.append(bottom)
  const q = new URLSearchParams(location.search).get('q')
  if (location.pathname == '/search' && q) top.querySelector('input[name=q]').value = q

  document.addEventListener('click', (event) => {
    const add = event.target.closest('[data-add]')
    if (add) addToCart(add.dataset.add)
    if (event.target.closest('[data-logout]')) logOut()
  })
  document.addEventListener('submit', (event) => {
    const form = event.target.closest('[data-subscribe]')
    if (!form) return
    event.preventDefault()
    onSubscribe(form)
  })
  addEventListener('demo:change', refresh)
  // Another tab changed the cart or signed out.
  addEventListener('storage', (event) => event.key?.startsWith('demo:') && refresh())
  refresh()
}
