// The journal: a single-page app that uses the SDK's npm build, as a site
// with a bundler would (here through the page's import map, which maps
// js-cookie to the copy the demo server serves). In `history` mode the
// tracker counts a page view on load and on each route change by itself.
import { createTracker } from '/dist/index.mjs'
import { mountLayout } from '../layout.js'
import { renderJournal } from './views.js'
import { startRouter } from './router.js'

const tracker = createTracker({ endpoint: location.origin, spa: 'history', currencyCode: 'USD' })
// The shop's shared code calls esputnik('…') as the script-tag pages do.
window.esputnik = Object.assign((method, ...args) => tracker[method]?.(...args), { tracker })

mountLayout({ active: '/journal' })
startRouter('/journal', renderJournal)
