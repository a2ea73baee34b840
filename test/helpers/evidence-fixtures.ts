/**
 * Small evidence files for tests, built byte by byte (audio) or with sharp (photos), each carrying the kind of
 * metadata a phone leaves in it: a GPS position, a title, a creation time. Test support only.
 */
import sharp from 'sharp'

export const SECRET = 'Secret Street 42'

/** A JPEG with an EXIF GPS position, a camera maker and a copyright line naming SECRET. */
export async function jpegWithGps(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneMaker', Copyright: SECRET, ImageDescription: SECRET },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 3230/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 3/1 4366/100',
      },
    })
    .toBuffer()
}

export async function pngPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 0, g: 90, b: 200, alpha: 1 } } })
    .png()
    .withExif({ IFD0: { Copyright: SECRET } })
    .toBuffer()
}

function id3v2Title(title: string): Buffer {
  const text = Buffer.concat([Buffer.from([0]), Buffer.from(title, 'latin1')])
  const frame = Buffer.alloc(10)
  frame.write('TIT2', 0, 'latin1')
  frame.writeUInt32BE(text.length, 4)
  const body = Buffer.concat([frame, text, Buffer.alloc(20)])
  const header = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0])
  const size = body.length
  header[6] = (size >> 21) & 0x7f
  header[7] = (size >> 14) & 0x7f
  header[8] = (size >> 7) & 0x7f
  header[9] = size & 0x7f
  return Buffer.concat([header, body])
}

/** Three MPEG-1 layer III frames (128 kbit/s, 44.1 kHz, silent), an ID3v2 title and an ID3v1 tag, both SECRET. */
export function mp3WithTags(): Buffer {
  const frame = Buffer.alloc(417)
  frame.set([0xff, 0xfb, 0x90, 0x64], 0)
  const v1 = Buffer.alloc(128)
  v1.write('TAG', 0, 'latin1')
  v1.write(SECRET, 3, 'latin1')
  return Buffer.concat([id3v2Title(SECRET), frame, frame, frame, v1])
}

export function mp3Frames(): Buffer {
  const frame = Buffer.alloc(417)
  frame.set([0xff, 0xfb, 0x90, 0x64], 0)
  return Buffer.concat([frame, frame, frame])
}

function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8)
  header.write(id, 0, 'latin1')
  header.writeUInt32LE(body.length, 4)
  return Buffer.concat([header, body, body.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0)])
}

/** A PCM WAV (8 kHz mono, 16-bit, 100 samples) with a LIST/INFO title and a bext chunk naming SECRET. */
export function wavWithInfo(): Buffer {
  const format = Buffer.alloc(16)
  format.writeUInt16LE(1, 0)
  format.writeUInt16LE(1, 2)
  format.writeUInt32LE(8000, 4)
  format.writeUInt32LE(16000, 8)
  format.writeUInt16LE(2, 12)
  format.writeUInt16LE(16, 14)
  const samples = Buffer.alloc(200)
  for (let i = 0; i < 100; i++) samples.writeInt16LE(Math.round(Math.sin(i / 3) * 1000), i * 2)
  const info = Buffer.concat([Buffer.from('INFO', 'latin1'), chunk('INAM', Buffer.from(`${SECRET}\0`, 'latin1'))])
  const body = Buffer.concat([
    Buffer.from('WAVE', 'latin1'),
    chunk('fmt ', format),
    chunk('LIST', info),
    chunk('bext', Buffer.from(SECRET, 'latin1')),
    chunk('data', samples),
  ])
  const header = Buffer.alloc(8)
  header.write('RIFF', 0, 'latin1')
  header.writeUInt32LE(body.length, 4)
  return Buffer.concat([header, body])
}

function box(type: string, ...children: Buffer[]): Buffer {
  const body = Buffer.concat(children)
  const header = Buffer.alloc(8)
  header.writeUInt32BE(body.length + 8, 0)
  header.write(type, 4, 'latin1')
  return Buffer.concat([header, body])
}

/** A version-0 header box with creation and modification times (2026-01-01), then `rest` zero bytes. */
function timed(type: string, rest: number): Buffer {
  const body = Buffer.alloc(4 + 8 + rest)
  body.writeUInt32BE(3_850_000_000, 4)
  body.writeUInt32BE(3_850_000_000, 8)
  return box(type, body)
}

function handler(kind: 'soun' | 'vide'): Buffer {
  const body = Buffer.alloc(4 + 4 + 4 + 12 + 1)
  body.write(kind, 8, 'latin1')
  return box('hdlr', body)
}

/** An M4A: ftyp, moov (mvhd, one track, udta with an iTunes title and a ©xyz location), mdat. */
export function m4aWithTags(kind: 'soun' | 'vide' = 'soun'): Buffer {
  const title = box('©nam', box('data', Buffer.alloc(8), Buffer.from(SECRET, 'latin1')))
  const place = box('©xyz', Buffer.from('+51.5155-000.0596/', 'latin1'))
  const udta = box('udta', box('meta', Buffer.alloc(4), box('ilst', title)), place)
  const track = box(
    'trak',
    timed('tkhd', 72),
    box('mdia', timed('mdhd', 8), handler(kind), box('minf', box('stbl', Buffer.alloc(0)))),
  )
  return Buffer.concat([
    box('ftyp', Buffer.from('M4A \0\0\0\0M4A isom', 'latin1')),
    box('moov', timed('mvhd', 88), track, udta),
    box('mdat', Buffer.alloc(64, 7)),
  ])
}
