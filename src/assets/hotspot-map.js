// Progressive enhancement for /intelligence/hotspots: the hotspot surface on a Leaflet map over the ward boundaries.
// Without JavaScript the ranked tables on the page carry the same information.
const container = document.querySelector('[data-module="safer-hotspot-map"]')
const L = window.L

if (container && L) {
  const canvas = container.querySelector('#hotspot-map')
  container.hidden = false
  canvas.style.height = '420px'
  canvas.setAttribute('role', 'region')
  canvas.setAttribute('aria-label', 'Map of hotspots. The tables below list the same places.')
  const map = L.map(canvas, { keyboard: true, scrollWheelZoom: false })
  if (canvas.dataset.tileUrl) {
    L.tileLayer(canvas.dataset.tileUrl, { attribution: canvas.dataset.tileAttribution || '', maxZoom: 19 }).addTo(map)
  }
  map.setView([51.515, -0.035], 13)
  const json = response => (response.ok ? response.json() : Promise.reject(new Error(String(response.status))))
  Promise.all([fetch('/api/v1/areas/wards.geojson').then(json), fetch(container.dataset.surfaceUrl).then(json)])
    .then(([wards, surface]) => {
      const outline = L.geoJSON(wards, { style: { color: '#0b0c0c', weight: 1, fillOpacity: 0 } }).addTo(map)
      const top = Math.max(1, ...surface.features.map(feature => feature.properties.score))
      L.geoJSON(surface, {
        style: feature => ({
          stroke: false,
          fillColor: feature.properties.rank <= 10 ? '#d4351c' : '#f47738',
          fillOpacity: Math.min(0.85, 0.15 + 0.7 * (feature.properties.score / top)),
        }),
        onEachFeature: (feature, layer) => layer.bindTooltip(`Rank ${String(feature.properties.rank)}`),
      }).addTo(map)
      map.fitBounds(outline.getBounds())
    })
    .catch(() => undefined)
}
