import { RECOMMENDED, productById, searchProducts } from '../catalog.js'
import { mountLayout } from '../layout.js'
import { track } from '../track.js'
import { escape, grid } from '../ui.js'

mountLayout()
const query = (new URLSearchParams(location.search).get('q') ?? '').trim()
const results = searchProducts(query)
const main = document.querySelector('main')
document.title = query ? `“${query}” · Kettle & Leaf` : 'Search · Kettle & Leaf'

if (!query) {
  main.innerHTML = '<div class="wrap empty-state"><h1>Search</h1><p class="lead">Type a tea, a colour or a thing to brew with in the box above.</p></div>'
} else {
  main.innerHTML = `<div class="wrap">
    <h1>${results.length ? `${results.length} result${results.length == 1 ? '' : 's'} for “${escape(query)}”` : `Nothing found for “${escape(query)}”`}</h1>
    ${
      results.length
        ? grid(results)
        : `<p class="lead">Check the spelling, or try a broader word such as <a href="/search?q=green">green</a>, <a href="/search?q=mug">mug</a> or <a href="/search?q=teapot">teapot</a>.</p>
           <div class="section-head"><h2>Perhaps one of these</h2></div>${grid(RECOMMENDED.ids.map(productById))}`
    }</div>`
  // isFound tells eSputnik which searches went nowhere: the ones worth a new product or a synonym.
  track('searchRequest', { search: query, isFound: results.length > 0 })
}
