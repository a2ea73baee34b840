/**
 * UK postcodes in any spacing or case. `normalisePostcode(' e14 5ab ')` gives 'E145AB' (the key we store) and
 * `formatPostcode` gives 'E14 5AB' (what people read).
 */
const POSTCODE =
  /^(GIR0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])[0-9][ABD-HJLNP-UW-Z]{2})$/

export function normalisePostcode(input: string): string {
  return input.replace(/[\s\u00a0-]+/g, '').toUpperCase()
}

export function isValidPostcode(input: string): boolean {
  return POSTCODE.test(normalisePostcode(input))
}

export function formatPostcode(input: string): string {
  const compact = normalisePostcode(input)
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`
}
