export const geographyPaths = {
  ward: (code: string) => `/wards/${encodeURIComponent(code)}`,
  wards: '/wards',
  aboutTheData: '/about-the-data',
  api: {
    wards: '/api/v1/areas/wards',
    wardsGeoJson: '/api/v1/areas/wards.geojson',
    lsoas: '/api/v1/areas/lsoas',
    locate: '/api/v1/areas/locate',
  },
} as const
