/**
 * Whether an order applies at a place on a day: the point lies in its area (the union of its wards) and the day is
 * one on which the order has effect. What a fixed penalty notice for a breach must satisfy (issue 19's next slice:
 * an FPN outside the order's area or period is refused).
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'

import type { GeoJsonGeometry } from '../../db/schema.js'
import { orderStatus } from './pspo-rules.js'

export type NotApplying = 'outside-area' | 'outside-period'

export function orderAppliesAt(
  order: { area: GeoJsonGeometry; inForceFrom: string; expiresOn: string; dischargedOn: string | null },
  point: { latitude: number; longitude: number },
  day: string,
): { applies: true } | { applies: false; reason: NotApplying } {
  if (orderStatus(order, day) !== 'in-force') return { applies: false, reason: 'outside-period' }
  if (!booleanPointInPolygon([point.longitude, point.latitude], order.area))
    return { applies: false, reason: 'outside-area' }
  return { applies: true }
}
