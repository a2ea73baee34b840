/**
 * For tests that ask for the same document many times (the authorisation matrices ask for a letter's PDF as every
 * permitted user): Chromium prints each distinct document once per test file, and every later request for the very
 * same HTML and options is answered with the bytes it printed. Everything else about each request still runs: the
 * route, the guard, the policy, the records read, the audit, the HTML the handler builds; only a second print of
 * identical HTML by the same Chromium, which proves nothing about who may have it, is skipped. A document whose
 * HTML differs in any byte (another case, another letter, a user's name or the time on it) is printed anew.
 */
import type { PdfOptions, PdfRenderer } from '../../src/platform/pdf.js'

export interface PrintCount {
  /** Documents Chromium printed. */
  printed: number
  /** Requests answered with a document printed earlier for the same HTML and options. */
  reused: number
}

export function printEachDocumentOnce(pdf: PdfRenderer): PrintCount {
  const render = pdf.render.bind(pdf)
  const printed = new Map<string, Promise<Buffer>>()
  const count: PrintCount = { printed: 0, reused: 0 }
  pdf.render = async (html: string, options?: PdfOptions) => {
    const key = JSON.stringify([html, options?.landscape ?? false, options?.footer ?? ''])
    let document = printed.get(key)
    if (document) count.reused++
    else {
      count.printed++
      document = render(html, options)
      printed.set(key, document)
      // A failed print is not kept: the next request tries again, as it would without this.
      document.catch(() => printed.delete(key))
    }
    return Buffer.from(await document)
  }
  return count
}
