// Small pieces of markup the pages share. Every text that comes from the URL
// or a form goes through `escape`.
import { productArt } from './art.js'
import { CURRENCY, categoryById } from './catalog.js'

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c])

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: CURRENCY })
export const price = (amount) => money.format(amount)

export const productUrl = (p) => `/p/${p.slug}`

export const stars = (rating, reviews) =>
  `<span class="stars" title="${rating} out of 5">★★★★★<span style="--fill:${(rating / 5) * 100}%">★★★★★</span></span> <span class="muted">${rating} · ${reviews} reviews</span>`

/** A product tile; its Add button is handled by the page (data-add). */
export function productCard(p) {
  const tint = categoryById(p.category).tint
  return `<article class="card">
    <a class="card-media" href="${productUrl(p)}" style="--tint:${tint}" tabindex="-1">${productArt(p)}${p.inStock ? '' : '<span class="tag">Sold out</span>'}</a>
    <div class="card-body">
      <p class="eyebrow">${escape(categoryById(p.category).name)} · ${escape(p.size)}</p>
      <h3 class="card-title"><a href="${productUrl(p)}">${escape(p.name)}</a></h3>
      <div class="card-foot">
        <span class="price">${price(p.price)}</span>
        ${p.inStock ? `<button class="btn btn-small" data-add="${p.id}" aria-label="Add ${escape(p.name)} to cart">Add to cart</button>` : '<span class="muted small">Back soon</span>'}
      </div>
    </div>
  </article>`
}

export const grid = (products) => `<div class="grid">${products.map(productCard).join('')}</div>`

/** A short message at the bottom of the screen, e.g. "Added to your cart". */
export function toast(html) {
  let box = document.querySelector('.toasts')
  if (!box) document.body.append((box = Object.assign(document.createElement('div'), { className: 'toasts' })))
  const item = Object.assign(document.createElement('div'), { className: 'toast', innerHTML: html })
  item.setAttribute('role', 'status')
  box.append(item)
  setTimeout(() => item.classList.add('leaving'), 2600)
  setTimeout(() => item.remove(), 3000)
}

export const icons = {
  bag: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 8h12l-1 12H7z" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/><path d="M9 8V6a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" stroke-width="1.8"/></svg>',
  heart: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/></svg>',
  user: '<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" stroke-width="1.8"/><path d="M4 21a8 8 0 0 1 16 0" fill="none" stroke="currentColor" stroke-width="1.8"/></svg>',
  search: '<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="11" cy="11" r="6" fill="none" stroke="currentColor" stroke-width="2"/><path d="M20 20l-4.5-4.5" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>',
  pulse: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 12h4l2-5 4 10 2-5h6" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
}
