import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import { geographyPaths } from './geography-paths.js'
import { presentAreaMap, presentWardRows } from './geography-presenters.js'
import type { GeographyService, Location } from './geography-service.js'

const AreaRefSchema = Type.Object({ code: Type.String(), name: Type.String() })

const WardSchema = Type.Object({
  code: Type.String({ description: 'ONS ward code' }),
  name: Type.String({ description: "The council's name for the ward" }),
  onsName: Type.Union([Type.String(), Type.Null()], { description: 'ONS / police name where it differs' }),
  population: Type.Union([Type.Integer(), Type.Null()]),
  lsoaCodes: Type.Array(Type.String(), { description: '2021 LSOAs whose centre lies in the ward' }),
})

const LocationSchema = Type.Object({
  ward: AreaRefSchema,
  lsoa: AreaRefSchema,
  lsoa2011: Type.Union([AreaRefSchema, Type.Null()]),
  point: Type.Object({ latitude: Type.Number(), longitude: Type.Number() }),
  postcode: Type.Optional(Type.String()),
})

const ErrorSchema = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  neighbour: Type.Optional(
    Type.Union([
      Type.Object({ code: Type.String(), name: Type.String(), policeForce: Type.Union([Type.String(), Type.Null()]) }),
      Type.Null(),
    ]),
  ),
})

function locationBody(location: Location, postcode?: string) {
  return {
    ward: location.ward,
    lsoa: location.lsoa,
    lsoa2011: location.lsoa2011,
    point: location.point,
    ...(postcode ? { postcode } : {}),
  }
}

export const geographyApiRoutes: FastifyPluginAsyncTypebox<{ geography: GeographyService }> = async (
  app,
  { geography },
) => {
  app.get(
    '/wards',
    {
      config: { access: 'public', audit: false },
      schema: { tags: ['areas'], summary: 'The wards of the borough', response: { 200: Type.Array(WardSchema) } },
    },
    async () =>
      geography.wards().map(ward => ({
        code: ward.code,
        name: ward.name,
        onsName: ward.altName,
        population: ward.population,
        lsoaCodes: ward.lsoa2021Codes,
      })),
  )

  app.get(
    '/wards.geojson',
    {
      config: { access: 'public', audit: false },
      schema: { tags: ['areas'], summary: 'Ward boundaries as a GeoJSON FeatureCollection' },
    },
    async (_request, reply) =>
      reply.type('application/geo+json; charset=utf-8').send({
        type: 'FeatureCollection',
        features: geography.wardGeometries().map(ward => ({
          type: 'Feature',
          properties: { code: ward.code, name: ward.name },
          geometry: ward.geometry,
        })),
      }),
  )

  app.get(
    '/lsoas',
    {
      config: { access: 'public', audit: false },
      schema: {
        tags: ['areas'],
        summary: 'Lower layer super output areas (2021 by default)',
        querystring: Type.Object({ vintage: Type.Optional(Type.Union([Type.Literal('2021'), Type.Literal('2011')])) }),
        response: {
          200: Type.Array(
            Type.Object({
              code: Type.String(),
              name: Type.String(),
              vintage: Type.Integer(),
              wardCode: Type.Union([Type.String(), Type.Null()]),
              population: Type.Union([Type.Integer(), Type.Null()]),
            }),
          ),
        },
      },
    },
    async request => geography.lsoas(request.query.vintage === '2011' ? 2011 : 2021),
  )

  app.get(
    '/locate',
    {
      config: { access: 'public', audit: false },
      schema: {
        tags: ['areas'],
        summary: 'The ward and LSOA of a postcode or a point',
        querystring: Type.Object({
          postcode: Type.Optional(Type.String({ maxLength: 16 })),
          lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
          lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
        }),
        response: { 200: LocationSchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { postcode, lat, lng } = request.query
      if (postcode !== undefined) {
        const found = await geography.lookupPostcode(postcode)
        if (found.status === 'invalid') {
          return reply
            .code(400)
            .send({ statusCode: 400, error: 'Bad Request', message: 'Enter a real postcode, like E14 5AB' })
        }
        if (found.status === 'unknown' || !found.location) {
          return reply.code(404).send({
            statusCode: 404,
            error: 'Not Found',
            message: `${found.postcode} is not a postcode in ${geography.borough().shortName}`,
          })
        }
        return locationBody(found.location, found.postcode)
      }
      if (lat === undefined || lng === undefined) {
        return reply.code(400).send({
          statusCode: 400,
          error: 'Bad Request',
          message: 'Give a postcode, or both lat and lng',
        })
      }
      const where = geography.whereIs({ latitude: lat, longitude: lng })
      if (!where.inBorough) {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `That point is outside ${geography.borough().shortName}`,
          neighbour: where.neighbour
            ? {
                code: where.neighbour.code,
                name: where.neighbour.name,
                policeForce: where.neighbour.policeForce?.name ?? null,
              }
            : null,
        })
      }
      return locationBody(where.location)
    },
  )
}

/** Links other modules add to every ward page (for example the ward's ASB report counts). */
export interface WardLink {
  text: string
  href: (wardCode: string) => string
}

export const geographyPageRoutes: FastifyPluginAsyncTypebox<{
  geography: GeographyService
  wardLinks?: WardLink[]
}> = async (app, { geography, wardLinks = [] }) => {
  app.get(geographyPaths.wards, { config: { access: 'public', audit: false } }, async (_request, reply) => {
    const borough = geography.borough()
    return reply.view('geography/views/wards.njk', {
      borough,
      map: presentAreaMap(geography.wardGeometries(), {
        title: `Map of the wards of ${borough.shortName}`,
        href: geographyPaths.ward,
      }),
      wardRows: presentWardRows(geography.wards(), geographyPaths.ward),
    })
  })

  app.get(
    '/wards/:code',
    {
      config: { access: 'public', audit: false },
      schema: { params: Type.Object({ code: Type.String({ maxLength: 20 }) }) },
    },
    async (request, reply) => {
      const ward = geography.ward(request.params.code)
      if (!ward) return reply.callNotFound()
      const borough = geography.borough()
      const lsoas = geography.lsoas(2021).filter(lsoa => lsoa.wardCode === ward.code)
      return reply.view('geography/views/ward.njk', {
        borough,
        ward,
        lsoas,
        wardLinks: wardLinks.map(link => ({ text: link.text, href: link.href(ward.code) })),
        map: presentAreaMap(geography.wardGeometries(), {
          title: `Map of ${borough.shortName} with ${ward.name} highlighted`,
          href: geographyPaths.ward,
          highlight: ward.code,
          width: 480,
        }),
      })
    },
  )
}
