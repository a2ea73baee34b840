// Progressive enhancement for a Public Spaces Protection Order's public page: a Leaflet map of the order's area (our
// own GeoJSON, carried on the page) over the ward boundaries. Without JavaScript the page shows the same area as a
// drawing of the wards and names the wards in a list.
const container = document.querySelector('[data-module="safer-pspo-map"]')
const L = window.L

if (container && L && container.dataset.areaUrl) {
  const canvas = container.querySelector('#pspo-map')
  const json = response => (response.ok ? response.json() : Promise.reject(new Error(String(response.status))))
  fetch(container.dataset.areaUrl, { credentials: 'same-origin' })
    .then(json)
    .then(area => {
      container.hidden = false
      canvas.style.height = '420px'
      canvas.setAttribute('role', 'region')
      canvas.setAttribute('aria-label', 'Map of the area the order covers. The list of wards names the same area.')
      const map = L.map(canvas, { keyboard: true, scrollWheelZoom: false })
      if (canvas.dataset.tileUrl) {
        L.tileLayer(canvas.dataset.tileUrl, { attribution: canvas.dataset.tileAttribution || '', maxZoom: 19 }).addTo(
          map,
        )
      }
      const layer = L.geoJSON(area, { style: { color: '#1d70b8', weight: 2, fillOpacity: 0.25 } }).addTo(map)
      map.fitBounds(layer.getBounds())
      const drawing = document.querySelector('[data-qa="svg-map"]')
      if (drawing) drawing.hidden = true
      return fetch('/api/v1/areas/wards.geojson', { credentials: 'same-origin' })
        .then(json)
        .then(wards =>
          L.geoJSON(wards, {
            style: { color: '#0b0c0c', weight: 1, fillOpacity: 0 },
            onEachFeature: (feature, ward) => ward.bindTooltip(feature.properties.name),
          }).addTo(map),
        )
    })
    // Without the area the page keeps its drawing of the wards and their names.
    .catch(() => undefined)
}
