/**
 * The demo's police data: the files the CSP pack ships in its `police/` folder, imported through the product's own
 * importers (so the demo shows what an import gives, partial months and strict placement included). Real police
 * data keeps its real dates; nothing is shifted to look current. A pack with no `police/` folder seeds nothing.
 *
 * Order: MPS borough tables before ward and LSOA ones, so each lower level is checked against the borough's totals.
 */
import fs from 'node:fs'
import path from 'node:path'

import type { DemoSeeder } from '../../db/seeds/demo.js'
import { STOP_SEARCH_FILE_PATTERN, STREET_FILE_PATTERN } from './import-service.js'

const MPS_FILE = /^recorded-crime-(borough|ward|lsoa)[^/]*\.csv$/i
const LEVEL_ORDER = ['borough', 'ward', 'lsoa']

/** The pack's police files by kind, in import order. */
export function packPoliceFiles(packDir: string): { street: string[]; stopSearch: string[]; mps: string[] } {
  const dir = path.join(packDir, 'police')
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []
  const level = (name: string) => LEVEL_ORDER.indexOf(MPS_FILE.exec(name)?.[1]?.toLowerCase() ?? '')
  return {
    street: names.filter(name => STREET_FILE_PATTERN.test(name)).map(name => path.join(dir, name)),
    stopSearch: names.filter(name => STOP_SEARCH_FILE_PATTERN.test(name)).map(name => path.join(dir, name)),
    mps: names
      .filter(name => MPS_FILE.test(name))
      .sort((a, b) => level(a) - level(b) || a.localeCompare(b))
      .map(name => path.join(dir, name)),
  }
}

export const intelligenceDemoSeeder: DemoSeeder = {
  name: 'intelligence',
  async seed(deps) {
    const files = packPoliceFiles(deps.pack.dir)
    const imports = deps.intelligenceImports
    const counts = { streetRows: 0, streetInArea: 0, stopSearchRows: 0, recordedCrimeRows: 0, partialMonths: 0 }
    if (files.street.length > 0) {
      const summary = await imports.importPoliceStreet(files.street)
      counts.streetRows = summary.imported
      counts.streetInArea = summary.placement?.inArea ?? 0
    }
    if (files.stopSearch.length > 0) counts.stopSearchRows = (await imports.importStopSearch(files.stopSearch)).imported
    for (const file of files.mps) {
      const summary = await imports.importMpsRecordedCrime(file)
      counts.recordedCrimeRows += summary.imported
      counts.partialMonths += summary.partialMonths?.length ?? 0
    }
    return counts
  },
}
