import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import sharp from 'sharp'

import {
  jpegWithGps,
  m4aWithTags,
  mp3Frames,
  mp3WithTags,
  pngPhoto,
  SECRET,
  wavWithInfo,
} from '../../../test/helpers/evidence-fixtures.js'
import { cleanEvidence, detectFormat, EVIDENCE_LIMITS, EvidenceError, safeFileName, stripMp4 } from './evidence.js'

const problem = (expected: string) => (error: unknown) => error instanceof EvidenceError && error.problem === expected
const holds = (bytes: Buffer, text: string) => bytes.includes(Buffer.from(text, 'latin1'))

describe('evidence files', () => {
  it('knows a file by its first bytes, not by its name or claimed type', async () => {
    assert.equal(detectFormat(await jpegWithGps()), 'jpeg')
    assert.equal(detectFormat(await pngPhoto()), 'png')
    assert.equal(detectFormat(mp3WithTags()), 'mp3')
    assert.equal(detectFormat(mp3Frames()), 'mp3')
    assert.equal(detectFormat(wavWithInfo()), 'wav')
    assert.equal(detectFormat(m4aWithTags()), 'mp4')
    assert.equal(detectFormat(Buffer.from('%PDF-1.7\n...')), undefined)
    assert.equal(detectFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>')), undefined)
    assert.equal(detectFormat(Buffer.from('MZ\x90\x00 an executable')), undefined)
    // ADTS AAC starts with a frame sync too, but its layer bits are 00: not taken for MP3.
    assert.equal(detectFormat(Buffer.from([0xff, 0xf1, 0x50, 0x80, 0, 0])), undefined)
  })

  it('re-encodes a photo without EXIF: no GPS position, camera or copyright left', async () => {
    const original = await jpegWithGps()
    assert.ok((await sharp(original).metadata()).exif, 'the fixture carries EXIF')
    assert.ok(holds(original, SECRET))
    const clean = await cleanEvidence(original)
    assert.equal(clean.kind, 'photo')
    assert.equal(clean.contentType, 'image/jpeg')
    const meta = await sharp(clean.content).metadata()
    assert.equal(meta.exif, undefined)
    assert.equal(meta.xmp, undefined)
    assert.equal(meta.iptc, undefined)
    assert.ok(!holds(clean.content, SECRET))
    assert.ok(!holds(clean.content, 'PhoneMaker'))
    assert.equal(clean.width, 64)
    assert.equal(clean.height, 48)
    assert.match(clean.sha256, /^[0-9a-f]{64}$/)

    const png = await cleanEvidence(await pngPhoto())
    assert.equal(png.contentType, 'image/png')
    assert.equal((await sharp(png.content).metadata()).exif, undefined)
    assert.ok(!holds(png.content, SECRET))
  })

  it('scales a very large photo down to fit 4096 pixels', async () => {
    const big = await sharp({ create: { width: 5000, height: 1000, channels: 3, background: '#777' } })
      .jpeg()
      .toBuffer()
    const clean = await cleanEvidence(big)
    assert.equal(clean.width, EVIDENCE_LIMITS.maxPhotoSide)
    assert.ok((clean.height ?? 0) < 1000)
  })

  it('strips ID3v1 and ID3v2 tags from MP3 and keeps the frames byte for byte', async () => {
    const clean = await cleanEvidence(mp3WithTags())
    assert.equal(clean.contentType, 'audio/mpeg')
    assert.ok(!holds(clean.content, SECRET))
    assert.ok(!holds(clean.content, 'TAG'))
    assert.ok(clean.content.equals(mp3Frames()))
  })

  it('keeps only the format and the sound of a WAV: LIST/INFO and bext are dropped', async () => {
    const original = wavWithInfo()
    const clean = await cleanEvidence(original)
    assert.equal(clean.contentType, 'audio/wav')
    assert.ok(!holds(clean.content, SECRET))
    assert.ok(!holds(clean.content, 'LIST'))
    assert.equal(clean.content.readUInt32LE(4), clean.content.length - 8, 'the RIFF size is right')
    const data = original.indexOf(Buffer.from('data', 'latin1'))
    assert.ok(holds(clean.content, original.subarray(data, data + 208).toString('latin1')), 'the samples are kept')
  })

  it('blanks M4A metadata boxes in place, zeroes creation times, and refuses video', async () => {
    const original = m4aWithTags()
    const clean = await cleanEvidence(original)
    assert.equal(clean.contentType, 'audio/mp4')
    assert.equal(clean.content.length, original.length, 'every offset stays valid')
    assert.ok(!holds(clean.content, SECRET))
    assert.ok(!holds(clean.content, '+51.5155'))
    assert.ok(!holds(clean.content, 'udta'))
    const mvhd = clean.content.indexOf(Buffer.from('mvhd', 'latin1'))
    assert.equal(clean.content.readUInt32BE(mvhd + 8), 0, 'creation time zeroed')
    const mdat = original.indexOf(Buffer.from('mdat', 'latin1'))
    assert.ok(clean.content.subarray(mdat).equals(original.subarray(mdat)), 'the audio data is untouched')
    assert.throws(() => stripMp4(m4aWithTags('vide')), problem('wrongType'))
  })

  it('refuses empty, oversized, wrong-type and damaged files with the reason', async () => {
    await assert.rejects(cleanEvidence(Buffer.alloc(0)), problem('empty'))
    await assert.rejects(cleanEvidence(Buffer.from('%PDF-1.7 not a photo')), problem('wrongType'))
    const huge = Buffer.concat([mp3Frames(), Buffer.alloc(EVIDENCE_LIMITS.audioBytes)])
    await assert.rejects(cleanEvidence(huge), problem('tooLarge'))
    const bigPhoto = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(EVIDENCE_LIMITS.photoBytes)])
    await assert.rejects(cleanEvidence(bigPhoto), problem('tooLarge'))
    await assert.rejects(cleanEvidence(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])), problem('unreadable'))
    await assert.rejects(cleanEvidence(Buffer.from('RIFF\x04\x00\x00\x00WAVE')), problem('unreadable'))
  })

  it('makes file names safe to show and to send in a header', () => {
    assert.equal(safeFileName('IMG_0042.HEIC.jpg', 'jpg'), 'IMG_0042.HEIC.jpg')
    assert.equal(safeFileName('"><script>alert(1)</script>.png', 'png'), 'scriptalert1script.png')
    assert.equal(safeFileName('', 'm4a'), 'evidence.m4a')
    assert.equal(safeFileName('voice memo.mp3', 'wav'), 'voice memo.wav')
  })
})
