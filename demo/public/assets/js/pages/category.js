import { categoryById, productsIn } from '../catalog.js'
import { mountLayout } from '../layout.js'
import { track } from '../track.js'
import { escape, grid } from '../ui.js'
import { notFound } from './not-found.js'

const id = decodeURIComponent(location.pathname.split('/')[2] ?? '')
const category = categoryById(id)
mountLayout({ active: `/c/${id}` })

if (!category) notFound('We have no such shelf.')
else {
  document.title = `${category.name} · Kettle & Leaf`
  const products = productsIn(category.id)
  document.querySelector('main').innerHTML = `
    <section class="page-head" style="--tint:${category.tint}">
      <div class="wrap">
        <nav class="crumbs" aria-label="Breadcrumb"><a href="/">Home</a> / <span>${escape(category.name)}</span></nav>
        <h1>${escape(category.name)}</h1>
        <p class="lead">${escape(category.blurb)}</p>
      </div>
    </section>
    <section class="wrap section">
      <div class="section-head"><span class="muted">${products.length} products · ${products.filter((p) => p.inStock).length} in stock</span></div>
      ${grid(products)}
    </section>`
  track('productCategoryViewed', { productCategoryId: category.id })
}
