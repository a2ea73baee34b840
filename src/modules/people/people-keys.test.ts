import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import {
  addressMatches,
  editDistance,
  nameKey,
  nameMatch,
  normalisePostcode,
  outwardCode,
  placeKey,
  wordKey,
} from './people-keys.js'

describe('people keys', () => {
  it('gives the borough’s common transliterations one key', () => {
    for (const group of [
      ['Mohammed', 'Muhammad', 'Mohamed', 'Mohammad', 'Muhammed', 'Md', 'Mohd'],
      ['Hussain', 'Hossain', 'Husain', 'Hussein'],
      ['Uddin', 'Udin'],
      ['Begum', 'Begom'],
      ['Chowdhury', 'Choudhury', 'Chaudhry'],
      ['Rahman', 'Rehman'],
      ['Ahmed', 'Ahmad'],
      ['Smith', 'Smyth'],
      ['Darren', 'Daren'],
    ]) {
      const keys = new Set(group.map(name => nameKey(name)))
      assert.equal(keys.size, 1, `${group.join(', ')}: ${[...keys].join(', ')}`)
    }
  })

  it('keeps different names apart', () => {
    assert.notEqual(wordKey('smith'), wordKey('jones'))
    assert.notEqual(nameKey('Begum'), nameKey('Miah'))
    assert.equal(nameMatch('Darren Smith', 'Sam Brown'), 0)
    assert.equal(nameMatch('Darren Smith', 'Darren'), 0, 'every searched word must match')
  })

  it('matches typos, word order, accents and punctuation', () => {
    assert.equal(nameMatch('Darren Smith', 'SMITH, Darren'), 1)
    assert.equal(nameKey('SMITH, Darren'), nameKey('Darren Smith'))
    assert.equal(nameMatch('Zoë O’Brien', 'zoe obrien'), 1)
    assert.ok(nameMatch('Darren Smtih', 'Darren Smith') > 0, 'a transposition')
    assert.ok(nameMatch('Kowalsky', 'Kowalski') > 0)
    assert.ok(nameMatch('Muhammad Udin', 'Mohammed Uddin') > nameMatch('Muhammad Udin', 'Mohammed Ullah'))
    assert.ok(nameMatch('Darren Smith', 'Darren Smith') > nameMatch('Darren Smith', 'Daren Smyth'))
    assert.equal(nameMatch('Ali', 'Alam'), 0, 'short names one edit apart are not a match')
  })

  it('counts edits, transpositions as one, stopping above the limit', () => {
    assert.equal(editDistance('smith', 'smiht'), 1)
    assert.equal(editDistance('smith', 'smith'), 0)
    assert.equal(editDistance('abc', 'xyz', 1), 2)
  })

  it('normalises postcodes, districts and addresses', () => {
    assert.equal(normalisePostcode(' e1  6an'), 'E1 6AN')
    assert.equal(normalisePostcode('E16AN'), 'E1 6AN')
    assert.equal(normalisePostcode('not a postcode'), undefined)
    assert.equal(outwardCode('e14'), 'E14')
    assert.equal(outwardCode('E14 2AB'), undefined)
    assert.ok(addressMatches('14 cable st', '14 Cable Street, London E1 8JG'))
    assert.ok(!addressMatches('15 cable st', '14 Cable Street'))
    assert.equal(placeKey({ address: '14 Cable St', postcode: 'e1 8jg' }), 'address:14 cable street|E1 8JG')
    assert.equal(placeKey({ postcode: 'E1 8JG' }), 'postcode:E1 8JG')
    assert.equal(placeKey({ uprn: '6012345', address: '14 Cable St' }), 'uprn:6012345')
    assert.equal(placeKey({}), undefined)
  })
})
