import { productArt } from '../art.js'
import { productById } from '../catalog.js'
import { escape, grid } from '../ui.js'
import { ARTICLES, TOPICS, articleBySlug } from './articles.js'

const main = () => document.querySelector('main')

/** The article's picture: the products it is about, on its colour. */
const cover = (a) => `<span class="cover" style="--c:${a.color}" aria-hidden="true">${a.products.slice(0, 2).map((id) => productArt(productById(id))).join('')}</span>`

const topicChips = (current) =>
  `<nav class="chips" aria-label="Topics"><a href="/journal"${current ? '' : ' aria-current="page"'}>All</a>${Object.entries(TOPICS)
    .map(([id, name]) => `<a href="/journal/topic/${id}"${id == current ? ' aria-current="page"' : ''}>${name}</a>`)
    .join('')}</nav>`

const teaser = (a) => `<article class="teaser">
  <a href="/journal/${a.slug}" tabindex="-1">${cover(a)}</a>
  <p class="eyebrow">${TOPICS[a.topic]} · ${a.minutes} min read</p>
  <h3><a href="/journal/${a.slug}">${escape(a.title)}</a></h3>
  <p class="muted">${escape(a.excerpt)}</p></article>`

function list(topic) {
  const articles = topic ? ARTICLES.filter((a) => a.topic == topic) : ARTICLES
  document.title = `${topic ? TOPICS[topic] : 'Journal'} · Kettle & Leaf`
  return `<section class="page-head journal-head"><div class="wrap">
      <p class="eyebrow">The Kettle &amp; Leaf journal</p><h1>${topic ? TOPICS[topic] : 'Notes from the tea shelf'}</h1>
      <p class="lead">Brewing guides and harvest notes. This section is a single-page app: it loads once, then every link is a pushState route change, and the SDK's npm build counts each one as a page view.</p>
      ${topicChips(topic)}</div></section>
    <section class="wrap section"><div class="teasers">${articles.map(teaser).join('')}</div></section>`
}

function article(a) {
  document.title = `${a.title} · Kettle & Leaf`
  return `<article class="wrap story">
      <nav class="crumbs" aria-label="Breadcrumb"><a href="/journal">Journal</a> / <a href="/journal/topic/${a.topic}">${TOPICS[a.topic]}</a></nav>
      <p class="eyebrow">${TOPICS[a.topic]} · ${a.minutes} min read</p>
      <h1>${escape(a.title)}</h1>
      <p class="lead">${escape(a.excerpt)}</p>
      ${cover(a)}
      ${a.body.map((p) => `<p>${escape(p)}</p>`).join('')}
    </article>
    <section class="wrap section"><div class="section-head"><h2>In this article</h2></div>${grid(a.products.map(productById))}</section>
    <section class="wrap section"><div class="section-head"><h2>Keep reading</h2></div>
      <div class="teasers">${ARTICLES.filter((x) => x != a).slice(0, 3).map(teaser).join('')}</div></section>`
}

const missing = () => {
  document.title = 'Not found · Kettle & Leaf'
  return '<section class="wrap empty-state"><h1>Not found</h1><p class="lead">No such article.</p><a class="btn" href="/journal">Back to the journal</a></section>'
}

/** Draws the journal's route: /journal, /journal/topic/:topic or /journal/:slug. */
export function renderJournal(url) {
  const [, , first, second] = url.pathname.split('/')
  const html = !first ? list() : first == 'topic' ? (TOPICS[second] ? list(second) : missing()) : articleBySlug(first) ? article(articleBySlug(first)) : missing()
  main().innerHTML = html
}
