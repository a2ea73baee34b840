/**
 * JSON with line numbers: `JSON.parse` gives the value; a small scanner walks the same text and records the line on
 * which each value starts, keyed by its JSON Pointer (`/indicators/3/target`), so a problem found by schema
 * validation can be reported as `indicators.json:57`.
 */

export interface LocatedJson {
  value: unknown
  /** The line (1-based) where the value at `pointer` starts, or of its nearest ancestor that exists. */
  lineOf(pointer: string): number
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
    this.name = 'JsonSyntaxError'
  }
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

function lineAt(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/** Parses JSON text, throwing JsonSyntaxError with the line of the fault. */
export function parseJsonWithLines(text: string): LocatedJson {
  let value: unknown
  try {
    value = JSON.parse(text) as unknown
  } catch (error) {
    const message = (error as Error).message
    const position = /position (\d+)/.exec(message)
    const lineColumn = /line (\d+)/.exec(message)
    const line = position?.[1] ? lineAt(text, Number(position[1])) : lineColumn?.[1] ? Number(lineColumn[1]) : 1
    throw new JsonSyntaxError(message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, ''), line)
  }
  const lines = new Map<string, number>()
  let index = 0
  let line = 1

  function skipWhitespace(): void {
    while (index < text.length) {
      const char = text.charCodeAt(index)
      if (char === 10) line++
      else if (char !== 32 && char !== 9 && char !== 13) return
      index++
    }
  }

  function readString(): string {
    const start = index
    index++ // opening quote
    while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1
    index++ // closing quote
    return JSON.parse(text.slice(start, index)) as string
  }

  function walk(pointer: string): void {
    skipWhitespace()
    lines.set(pointer, line)
    const char = text[index]
    if (char === '{') {
      index++
      skipWhitespace()
      if (text[index] === '}') {
        index++
        return
      }
      for (;;) {
        skipWhitespace()
        const key = readString()
        skipWhitespace()
        index++ // colon
        walk(`${pointer}/${escapePointer(key)}`)
        skipWhitespace()
        if (text[index++] === '}') return
      }
    } else if (char === '[') {
      index++
      skipWhitespace()
      if (text[index] === ']') {
        index++
        return
      }
      for (let item = 0; ; item++) {
        walk(`${pointer}/${String(item)}`)
        skipWhitespace()
        if (text[index++] === ']') return
      }
    } else if (char === '"') {
      readString()
    } else {
      while (index < text.length && !/[\s,\]}]/.test(text[index] ?? '')) index++
    }
  }

  walk('')
  return {
    value,
    lineOf(pointer: string): number {
      let current = pointer
      for (;;) {
        const found = lines.get(current)
        if (found !== undefined) return found
        if (current === '') return 1
        current = current.slice(0, current.lastIndexOf('/'))
      }
    },
  }
}
