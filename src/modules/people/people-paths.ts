/** Every URL the people module owns: search, a person, a place, merges, and the "known to" page of a new party. */
const seg = (value: string) => encodeURIComponent(value)

export const peoplePaths = {
  search: '/people',
  person: (id: string) => `/people/${seg(id)}`,
  place: (id: string) => `/people/places/${seg(id)}`,
  merges: '/people/merges',
  merge: (id: string) => `/people/merges/${seg(id)}`,
  mergeUndo: (id: string) => `/people/merges/${seg(id)}/undo`,
  knownTo: (reference: string, partyId: string) => `/cases/${seg(reference)}/parties/${seg(partyId)}/known-to`,
} as const
