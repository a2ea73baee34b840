// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/govuk/govuk-frontend.min.js'

initAll()

// GOV.UK Frontend marks radios that reveal a conditional question with aria-expanded, which ARIA 1.2 does not
// allow on role=radio (axe: aria-allowed-attr). The reveal itself works without it, so keep the attribute off.
const stripExpanded = radio => {
  if (radio.hasAttribute('aria-expanded')) radio.removeAttribute('aria-expanded')
}
document.querySelectorAll('input[type="radio"][aria-controls]').forEach(radio => {
  stripExpanded(radio)
  new MutationObserver(() => stripExpanded(radio)).observe(radio, {
    attributes: true,
    attributeFilter: ['aria-expanded'],
  })
})
