import { productArt } from '../art.js'
import { categoryById, productBySlug, productsIn } from '../catalog.js'
import { mountLayout } from '../layout.js'
import { cart, wishlist } from '../state.js'
import { productData, track, trackCart, trackCustom } from '../track.js'
import { escape, grid, price, stars, toast } from '../ui.js'
import { notFound } from './not-found.js'

const product = productBySlug(decodeURIComponent(location.pathname.split('/')[2] ?? ''))
mountLayout({ active: product ? `/c/${product.category}` : '' })

function wishButton() {
  const wished = wishlist.has(product.id)
  return `<button class="btn btn-large btn-ghost wish${wished ? ' on' : ''}" data-wish aria-pressed="${wished}">${wished ? '♥ In your wishlist' : '♡ Add to wishlist'}</button>`
}

if (!product) notFound('This product is not in our catalogue (any more).')
else {
  const category = categoryById(product.category)
  document.title = `${product.name} · Kettle & Leaf`
  document.querySelector('main').innerHTML = `
    <div class="wrap">
      <nav class="crumbs" aria-label="Breadcrumb"><a href="/">Home</a> / <a href="/c/${category.id}">${escape(category.name)}</a> / <span>${escape(product.name)}</span></nav>
      <section class="product">
        <div class="product-media" style="--tint:${category.tint}">${productArt(product)}</div>
        <div class="product-info">
          <p class="eyebrow">${escape(category.name)} · ${escape(product.size)}</p>
          <h1>${escape(product.name)}</h1>
          <p>${stars(product.rating, product.reviews)}</p>
          <p class="product-price">${price(product.price)}</p>
          <p class="stock ${product.inStock ? 'in' : 'out'}">${product.inStock ? 'In stock, ships tomorrow' : 'Sold out: back soon'}</p>
          <p class="lead">${escape(product.text)}</p>
          <div class="buy">
            <label class="qty">Quantity <input type="number" name="qty" min="1" max="20" value="1"${product.inStock ? '' : ' disabled'}></label>
            <button class="btn btn-large" data-buy${product.inStock ? '' : ' disabled'}>${product.inStock ? 'Add to cart' : 'Sold out'}</button>
            <span data-wish-slot>${wishButton()}</span>
          </div>
          ${product.inStock ? '' : '<p><button class="btn btn-ghost" data-notify>Tell me when it’s back</button></p>'}
          <ul class="perks muted small"><li>Free shipping over $40</li><li>30-day returns</li><li>Packed by hand in Lviv</li></ul>
        </div>
      </section>
    </div>
    <section class="wrap section">
      <div class="section-head"><h2>More from ${escape(category.name)}</h2></div>
      ${grid(productsIn(category.id).filter((p) => p.id != product.id))}
    </section>`

  track('productViewed', productData(product))

  document.querySelector('[data-buy]').addEventListener('click', () => {
    const qty = Math.max(1, Math.min(20, Number(document.querySelector('[name=qty]').value) || 1))
    cart.add(product.id, qty)
    trackCart()
    toast(`<b>${escape(product.name)}</b> × ${qty} is in your cart. <a href="/cart">View cart</a>`)
  })
  // A custom event (the demo relay's CUSTOM_EVENT_TYPES lists it): an eSputnik workflow can mail when the product is back.
  document.querySelector('[data-notify]')?.addEventListener('click', (event) => {
    trackCustom('backInStockRequested', { productId: product.id, productName: product.name, price: product.price })
    event.target.disabled = true
    event.target.textContent = 'We’ll let you know'
    toast('Noted: subscribe below and we’ll email you when it’s back.')
  })
  document.querySelector('[data-wish-slot]').addEventListener('click', (event) => {
    if (!event.target.closest('[data-wish]')) return
    // eSputnik has an event for adding to a wishlist, none for taking away.
    if (wishlist.has(product.id)) wishlist.remove(product.id)
    else {
      wishlist.add(product.id)
      track('productAddedToWishlist', productData(product))
      toast('Saved to your wishlist.')
    }
    document.querySelector('[data-wish-slot]').innerHTML = wishButton()
  })
}
