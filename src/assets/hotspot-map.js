// Progressive enhancement for /intelligence/hotspots: a Leaflet map of the hotspot surface over ward and
// neighbourhood (LSOA) boundaries, with police.uk crimes at their snapped points and, for signed-in staff only,
// Safer's own reports. Without JavaScript the ranked tables on the page carry the same information.
const container = document.querySelector('[data-module="safer-hotspot-map"]')
const L = window.L

if (container && L) {
  const canvas = container.querySelector('#hotspot-map')
  container.hidden = false
  canvas.style.height = '460px'
  canvas.setAttribute('role', 'region')
  canvas.setAttribute('aria-label', 'Map of hotspots. The tables below list the same places.')
  const map = L.map(canvas, { keyboard: true, scrollWheelZoom: false })
  if (canvas.dataset.tileUrl) {
    L.tileLayer(canvas.dataset.tileUrl, { attribution: canvas.dataset.tileAttribution || '', maxZoom: 19 }).addTo(map)
  }
  map.setView([51.515, -0.035], 13)
  const json = response => (response.ok ? response.json() : Promise.reject(new Error(String(response.status))))
  const get = url => (url ? fetch(url, { credentials: 'same-origin' }).then(json) : Promise.resolve(null))
  const { surfaceUrl, crimesUrl, reportsUrl } = container.dataset
  Promise.all([
    get('/api/v1/areas/wards.geojson'),
    get('/api/v1/hotspots/lsoas.geojson'),
    get(surfaceUrl),
    get(crimesUrl),
    get(reportsUrl).catch(() => null),
  ])
    .then(([wards, lsoas, surface, crimes, reports]) => {
      const overlays = {}
      const lsoaLayer = L.geoJSON(lsoas, { style: { color: '#505a5f', weight: 0.5, fillOpacity: 0, dashArray: '2 3' } })
      overlays['Neighbourhoods (LSOAs)'] = lsoaLayer
      const outline = L.geoJSON(wards, {
        style: { color: '#0b0c0c', weight: 1.5, fillOpacity: 0 },
        onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.name),
      }).addTo(map)
      overlays.Wards = outline
      const top = Math.max(1, ...surface.features.map(feature => feature.properties.score))
      overlays['Hotspot surface'] = L.geoJSON(surface, {
        style: feature => ({
          stroke: false,
          fillColor: feature.properties.rank <= 10 ? '#d4351c' : '#f47738',
          fillOpacity: Math.min(0.85, 0.15 + 0.7 * (feature.properties.score / top)),
        }),
        onEachFeature: (feature, layer) => layer.bindTooltip(`Rank ${String(feature.properties.rank)}`),
      }).addTo(map)
      overlays['Police.uk crimes (snapped points)'] = L.geoJSON(crimes, {
        pointToLayer: (feature, latlng) =>
          L.circleMarker(latlng, {
            radius: Math.min(10, 2 + Math.sqrt(feature.properties.crimes)),
            color: '#0b0c0c',
            weight: 0.5,
            fillColor: '#ffdd00',
            fillOpacity: 0.8,
          }),
        onEachFeature: (feature, layer) =>
          layer.bindTooltip(`${String(feature.properties.crimes)} crimes: ${feature.properties.street || ''}`),
      })
      if (reports) {
        overlays['Safer reports (staff only)'] = L.geoJSON(reports, {
          pointToLayer: (feature, latlng) =>
            L.circleMarker(latlng, { radius: 4, color: '#1d70b8', weight: 1, fillColor: '#1d70b8', fillOpacity: 0.6 }),
          onEachFeature: (feature, layer) =>
            layer.bindTooltip(`${feature.properties.category} (${feature.properties.month})`),
        })
      }
      L.control.layers(null, overlays, { collapsed: false }).addTo(map)
      map.fitBounds(outline.getBounds())
    })
    .catch(() => undefined)
}
