/**
 * Page objects for partnership performance: the KPI table and its drill-down, the generated reports, and the
 * staff forms. Every page visited goes through `verifyOnPage` (heading, title pattern, axe).
 */
import type { Page } from 'playwright-core'

import { BasePage, verifyOnPage } from './base-page.js'

export class KpiDashboardPage extends BasePage {
  static async open(page: Page, baseUrl: string, query = ''): Promise<KpiDashboardPage> {
    await page.goto(`${baseUrl}/performance${query}`)
    await verifyOnPage(page, /^Performance indicators: /)
    return new KpiDashboardPage(page)
  }

  row(id: string) {
    return this.page.locator(`[data-qa="kpi-row-${id}"]`)
  }

  async cells(id: string): Promise<{ ytd: string; previous: string; change: string; direction: string; rag: string }> {
    const row = this.row(id)
    const text = async (qa: string) => ((await row.locator(`[data-qa="${qa}"]`).textContent()) ?? '').trim()
    return {
      ytd: await text('ytd'),
      previous: await text('previous-ytd'),
      change: await text('change-pct'),
      direction: await text('direction'),
      rag: await text('rag'),
    }
  }

  async drillDown(id: string, name: string): Promise<void> {
    await this.row(id).getByRole('link').first().click()
    await verifyOnPage(this.page, name)
  }
}

export class ReportPage extends BasePage {
  static async openFromIndex(page: Page, baseUrl: string, slug: string): Promise<ReportPage> {
    await page.goto(`${baseUrl}/performance/reports`)
    await verifyOnPage(page, 'Performance reports')
    // The latest quarters are links; an earlier one (the 2019 deck's) is chosen from the list.
    const link = page.locator(`[data-qa="quarter-${slug}"]`)
    if ((await link.count()) > 0) await link.click()
    else {
      await page.getByLabel('Quarter', { exact: true }).selectOption(slug)
      await page.locator('[data-qa="open-quarter"]').click()
    }
    await verifyOnPage(page, /^Quarterly performance report/)
    return new ReportPage(page)
  }

  async pdfHref(): Promise<string> {
    return (await this.page.locator('[data-qa="report-pdf"]').getAttribute('href')) ?? ''
  }
}
