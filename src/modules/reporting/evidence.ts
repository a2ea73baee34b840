/**
 * Photo and audio evidence: what a file really is (its first bytes, never its name or the browser's claim), and a
 * copy of it without metadata. Photos are decoded and re-encoded with sharp, which writes no EXIF, XMP, IPTC or ICC
 * data (so no GPS position, camera serial or time taken); EXIF orientation is applied to the pixels first. Audio is
 * rewritten without its tags (see stripMp3, stripWav, stripMp4): the sound itself is untouched. No I/O.
 */
import { createHash } from 'node:crypto'

import sharp from 'sharp'

import { DomainError } from '../../platform/errors.js'

export type EvidenceKind = 'photo' | 'audio'

export interface EvidenceFormat {
  kind: EvidenceKind
  contentType: string
  extension: string
}

export const EVIDENCE_FORMATS = {
  jpeg: { kind: 'photo', contentType: 'image/jpeg', extension: 'jpg' },
  png: { kind: 'photo', contentType: 'image/png', extension: 'png' },
  webp: { kind: 'photo', contentType: 'image/webp', extension: 'webp' },
  mp3: { kind: 'audio', contentType: 'audio/mpeg', extension: 'mp3' },
  mp4: { kind: 'audio', contentType: 'audio/mp4', extension: 'm4a' },
  wav: { kind: 'audio', contentType: 'audio/wav', extension: 'wav' },
} as const satisfies Record<string, EvidenceFormat>

export type EvidenceFormatName = keyof typeof EVIDENCE_FORMATS

export const EVIDENCE_LIMITS = {
  photoBytes: 10 * 1024 * 1024,
  audioBytes: 20 * 1024 * 1024,
  /** The most files one report can carry. */
  files: 5,
  /** Larger photos are scaled down to fit this many pixels on their longer side. */
  maxPhotoSide: 4096,
  /** Decompression bombs: a photo claiming more pixels than this is refused before it is decoded. */
  maxInputPixels: 50_000_000,
} as const

/** The value `accept` takes on the file input: a hint for the browser's picker; the server decides by content. */
export const EVIDENCE_ACCEPT = [
  ...new Set(Object.values(EVIDENCE_FORMATS).map(format => format.contentType)),
  'audio/x-m4a',
  'audio/x-wav',
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.mp3',
  '.m4a',
  '.wav',
].join(',')

export type EvidenceProblem = 'empty' | 'tooLarge' | 'wrongType' | 'unreadable' | 'tooMany'

/** A file the evidence step cannot take (a domain error); `code` names its message (report.evidence.errors.<code>). */
export class EvidenceError extends DomainError<EvidenceProblem> {
  constructor(code: EvidenceProblem) {
    super(code, {
      status: code === 'tooLarge' ? 413 : code === 'wrongType' ? 415 : 400,
      field: 'evidence',
      messageKey: `report.evidence.errors.${code}`,
      params: {
        photoMb: EVIDENCE_LIMITS.photoBytes / (1024 * 1024),
        audioMb: EVIDENCE_LIMITS.audioBytes / (1024 * 1024),
        max: EVIDENCE_LIMITS.files,
      },
    })
    this.name = 'EvidenceError'
  }

  /** The old name of `code`. */
  get problem(): EvidenceProblem {
    return this.code
  }
}

export interface CleanEvidence {
  kind: EvidenceKind
  contentType: string
  extension: string
  content: Buffer
  sha256: string
  width: number | null
  height: number | null
}

const ascii = (bytes: Buffer, start: number, length: number) => bytes.toString('latin1', start, start + length)

/** Whether the bytes start like an MPEG audio frame (layer I-III; ADTS AAC has layer 00 and is not taken). */
function isMpegFrame(bytes: Buffer, offset: number): boolean {
  if (bytes.length < offset + 4) return false
  const b1 = bytes[offset + 1] ?? 0
  const b2 = bytes[offset + 2] ?? 0
  return (
    bytes[offset] === 0xff &&
    (b1 & 0xe0) === 0xe0 &&
    (b1 & 0x18) !== 0x08 && // version 01 is reserved
    (b1 & 0x06) !== 0 && // layer 00 is reserved (and is ADTS)
    (b2 & 0xf0) !== 0xf0 && // bitrate index 1111 is invalid
    (b2 & 0x0c) !== 0x0c // sample rate index 11 is reserved
  )
}

/** The format the content is in, from its magic bytes; undefined when it is none of the accepted ones. */
export function detectFormat(bytes: Buffer): EvidenceFormatName | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png'
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp'
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return 'wav'
  if (bytes.length >= 10 && ascii(bytes, 0, 3) === 'ID3') return 'mp3'
  if (isMpegFrame(bytes, 0)) return 'mp3'
  if (bytes.length >= 12 && ascii(bytes, 4, 4) === 'ftyp') return 'mp4'
  return undefined
}

/** The size limit for a file of this format. */
export function limitFor(format: EvidenceFormatName): number {
  return EVIDENCE_FORMATS[format].kind === 'photo' ? EVIDENCE_LIMITS.photoBytes : EVIDENCE_LIMITS.audioBytes
}

// MP3 -----------------------------------------------------------------------------------------------------------------

const syncsafe = (bytes: Buffer, offset: number) =>
  ((bytes[offset] ?? 0) << 21) |
  ((bytes[offset + 1] ?? 0) << 14) |
  ((bytes[offset + 2] ?? 0) << 7) |
  (bytes[offset + 3] ?? 0)

/**
 * MP3 without tags: every ID3v2 tag at the start (title, artist, comments, pictures, any private frames), an ID3v1 tag
 * ("TAG", the last 128 bytes), an APEv2 tag and a Lyrics3 block before it are cut; what is left must begin with an
 * MPEG audio frame. The frames (the sound) are kept byte for byte.
 */
export function stripMp3(input: Buffer): Buffer {
  let start = 0
  while (input.length >= start + 10 && ascii(input, start, 3) === 'ID3') {
    const footer = ((input[start + 5] ?? 0) & 0x10) !== 0
    start += 10 + syncsafe(input, start + 6) + (footer ? 10 : 0)
  }
  // Zero padding after a tag, before the first frame.
  while (start < input.length && input[start] === 0) start++
  let end = input.length
  if (end - start >= 128 && ascii(input, end - 128, 3) === 'TAG') end -= 128
  if (end - start >= 32 && ascii(input, end - 32, 8) === 'APETAGEX') {
    const size = input.readUInt32LE(end - 32 + 12)
    const hasHeader = (input.readUInt32LE(end - 32 + 20) & 0x80000000) !== 0
    end -= size + (hasHeader ? 32 : 0)
  }
  if (end - start >= 15 && ascii(input, end - 9, 9) === 'LYRICS200') {
    const size = Number(ascii(input, end - 15, 6))
    if (Number.isInteger(size)) end -= size + 15
  }
  if (end <= start || !isMpegFrame(input, start)) throw new EvidenceError('unreadable')
  return Buffer.from(input.subarray(start, end))
}

// WAV -----------------------------------------------------------------------------------------------------------------

/**
 * WAV without metadata: a new RIFF file with only the `fmt ` and `data` chunks (and `fact`, which some encodings need).
 * LIST/INFO (title, artist, software, dates), `id3 `, `bext` (broadcast: originator, time, place), iXML and every
 * other chunk are dropped.
 */
export function stripWav(input: Buffer): Buffer {
  if (input.length < 12 || ascii(input, 0, 4) !== 'RIFF' || ascii(input, 8, 4) !== 'WAVE')
    throw new EvidenceError('unreadable')
  const kept: Buffer[] = []
  let hasFormat = false
  let hasData = false
  let offset = 12
  while (offset + 8 <= input.length) {
    const id = ascii(input, offset, 4)
    const size = input.readUInt32LE(offset + 4)
    const end = Math.min(input.length, offset + 8 + size)
    if (id === 'fmt ' || id === 'data' || id === 'fact') {
      const body = input.subarray(offset + 8, end)
      const header = Buffer.alloc(8)
      header.write(id, 0, 'latin1')
      header.writeUInt32LE(body.length, 4)
      kept.push(header, body)
      if (body.length % 2 === 1) kept.push(Buffer.alloc(1))
      if (id === 'fmt ') hasFormat = true
      if (id === 'data') hasData = true
    }
    offset = end + (size % 2)
  }
  if (!hasFormat || !hasData) throw new EvidenceError('unreadable')
  const body = Buffer.concat(kept)
  const header = Buffer.alloc(12)
  header.write('RIFF', 0, 'latin1')
  header.writeUInt32LE(body.length + 4, 4)
  header.write('WAVE', 8, 'latin1')
  return Buffer.concat([header, body])
}

// MP4 / M4A -----------------------------------------------------------------------------------------------------------

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf', 'moof', 'traf', 'mvex'])
/** Boxes that carry metadata: user data (iTunes tags, ©xyz location, ©day), `meta` (ID3 or XMP), and `uuid` (XMP). */
const METADATA = new Set(['udta', 'meta', 'uuid', 'ID32', 'XMP_'])
const TIMES = new Set(['mvhd', 'tkhd', 'mdhd'])

/**
 * M4A (MP4 audio) without metadata. Metadata boxes are turned into `free` boxes of the same size with their content
 * zeroed, so every offset in the file stays valid and the audio is untouched; the creation and modification times in
 * the movie, track and media headers are zeroed. A file with a video track is not audio and is refused.
 */
export function stripMp4(input: Buffer): Buffer {
  const out = Buffer.from(input)
  const handlers: string[] = []
  let sawMovie = false

  const walk = (start: number, end: number, depth: number) => {
    let offset = start
    while (offset + 8 <= end) {
      let size = out.readUInt32BE(offset)
      const type = ascii(out, offset + 4, 4)
      let header = 8
      if (size === 1) {
        if (offset + 16 > end) throw new EvidenceError('unreadable')
        const large = out.readBigUInt64BE(offset + 8)
        if (large > BigInt(end - offset)) throw new EvidenceError('unreadable')
        size = Number(large)
        header = 16
      } else if (size === 0) {
        size = end - offset
      }
      if (size < header || offset + size > end) throw new EvidenceError('unreadable')
      const boxEnd = offset + size
      if (METADATA.has(type)) {
        out.write('free', offset + 4, 'latin1')
        out.fill(0, offset + header, boxEnd)
      } else if (CONTAINERS.has(type)) {
        if (type === 'moov') sawMovie = true
        if (depth > 8) throw new EvidenceError('unreadable')
        walk(offset + header, boxEnd, depth + 1)
      } else if (type === 'hdlr' && boxEnd - offset >= header + 12) {
        handlers.push(ascii(out, offset + header + 8, 4))
      } else if (TIMES.has(type) && boxEnd - offset >= header + 20) {
        const version = out[offset + header] ?? 0
        const times = offset + header + 4
        out.fill(0, times, times + (version === 1 ? 16 : 8))
      }
      offset = boxEnd
    }
  }

  if (input.length < 12 || ascii(input, 4, 4) !== 'ftyp') throw new EvidenceError('unreadable')
  walk(0, out.length, 0)
  if (!sawMovie) throw new EvidenceError('wrongType')
  if (handlers.includes('vide') || !handlers.includes('soun')) throw new EvidenceError('wrongType')
  return out
}

// Photos --------------------------------------------------------------------------------------------------------------

async function cleanPhoto(input: Buffer, format: 'jpeg' | 'png' | 'webp') {
  try {
    let image = sharp(input, { limitInputPixels: EVIDENCE_LIMITS.maxInputPixels, failOn: 'error' }).rotate().resize({
      width: EVIDENCE_LIMITS.maxPhotoSide,
      height: EVIDENCE_LIMITS.maxPhotoSide,
      fit: 'inside',
      withoutEnlargement: true,
    })
    image =
      format === 'jpeg'
        ? image.jpeg({ quality: 85 })
        : format === 'png'
          ? image.png({ compressionLevel: 9 })
          : image.webp({ quality: 85 })
    const { data, info } = await image.toBuffer({ resolveWithObject: true })
    return { content: data, width: info.width, height: info.height }
  } catch {
    throw new EvidenceError('unreadable')
  }
}

/**
 * Checks a file and returns a clean copy: the format from its content, within its size limit, without metadata.
 * Throws EvidenceError (empty, tooLarge, wrongType, unreadable).
 */
export async function cleanEvidence(input: Buffer): Promise<CleanEvidence> {
  if (input.length === 0) throw new EvidenceError('empty')
  const name = detectFormat(input)
  if (!name) throw new EvidenceError('wrongType')
  if (input.length > limitFor(name)) throw new EvidenceError('tooLarge')
  const format = EVIDENCE_FORMATS[name]
  let content: Buffer
  let width: number | null = null
  let height: number | null = null
  if (name === 'jpeg' || name === 'png' || name === 'webp') {
    const photo = await cleanPhoto(input, name)
    content = photo.content
    width = photo.width
    height = photo.height
  } else if (name === 'mp3') content = stripMp3(input)
  else if (name === 'wav') content = stripWav(input)
  else content = stripMp4(input)
  return {
    kind: format.kind,
    contentType: format.contentType,
    extension: format.extension,
    content,
    sha256: createHash('sha256').update(content).digest('hex'),
    width,
    height,
  }
}

/** A file name safe to show and to send in a header: letters, digits, spaces, dots, hyphens; at most 80 characters. */
export function safeFileName(name: string | undefined, extension: string): string {
  const base = (name ?? '')
    .replace(/\.[^.]*$/, '')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9 ._-]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80)
  return `${base || 'evidence'}.${extension}`
}
