// Progressive enhancement for /report/where: a Leaflet map to drop a pin on. Without JavaScript (or if Leaflet
// fails to load) the map stays hidden and the postcode and "choose the area from a list" routes do the same job.
const container = document.querySelector('[data-module="safer-report-map"]')
const L = window.L

if (container && L) {
  const canvas = container.querySelector('#report-map')
  const latitude = document.getElementById('latitude')
  const longitude = document.getElementById('longitude')
  const chosen = container.querySelector('[data-map-chosen]')
  container.hidden = false
  // The map is there: its words replace the ones for a page without it, and the form says the map was offered.
  for (const element of document.querySelectorAll('[data-with-map]')) element.hidden = false
  for (const element of document.querySelectorAll('[data-without-map]')) element.hidden = true
  const shown = document.getElementById('map-shown')
  if (shown) shown.value = 'shown'
  canvas.style.height = '360px'
  canvas.setAttribute('role', 'application')
  canvas.setAttribute('aria-label', 'Map. Select a place to put a pin on it.')

  const map = L.map(canvas, { keyboard: true, scrollWheelZoom: false })
  if (canvas.dataset.tileUrl) {
    L.tileLayer(canvas.dataset.tileUrl, { attribution: canvas.dataset.tileAttribution || '', maxZoom: 19 }).addTo(map)
  }
  map.setView([51.515, -0.035], 13)
  fetch('/api/v1/areas/wards.geojson')
    .then(response => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
    .then(wards => {
      const layer = L.geoJSON(wards, { style: { color: '#1d70b8', weight: 1, fillOpacity: 0.04 } }).addTo(map)
      if (!latitude.value) map.fitBounds(layer.getBounds())
    })
    .catch(() => undefined)

  let marker
  const place = latlng => {
    if (marker) marker.setLatLng(latlng)
    else {
      marker = L.marker(latlng, { draggable: true, keyboard: true, title: 'Chosen place' }).addTo(map)
      marker.on('dragend', () => place(marker.getLatLng()))
    }
    latitude.value = latlng.lat.toFixed(6)
    longitude.value = latlng.lng.toFixed(6)
    if (chosen) chosen.hidden = false
    // The pin is the answer now: a typed postcode would take precedence over it on the server.
    const postcode = document.getElementById('postcode')
    if (postcode) postcode.value = ''
  }
  map.on('click', event => place(event.latlng))
  if (latitude.value && longitude.value) {
    const latlng = L.latLng(Number(latitude.value), Number(longitude.value))
    place(latlng)
    map.setView(latlng, 16)
  }
}
