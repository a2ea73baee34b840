import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { ConfigError, loadConfig } from '../../config.js'
import { NOTIFICATION_TEMPLATES, templateIdsFromConfig } from './notifications.js'

const KEY = 'safer_live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0'
const templates: Record<string, string> = Object.fromEntries<string>([
  ...['ACKNOWLEDGEMENT', 'ASSESSED', 'IN_PROGRESS', 'ACTION_TAKEN', 'CLOSED'].flatMap(
    (event, index): [string, string][] => [
      [`NOTIFY_TEMPLATE_${event}_EMAIL`, `0000000${String(index)}-0000-4000-8000-00000000000e`],
      [`NOTIFY_TEMPLATE_${event}_SMS`, `0000000${String(index)}-0000-4000-8000-00000000000f`],
    ],
  ),
  ['NOTIFY_TEMPLATE_CASE_CHECKIN_EMAIL', '00000005-0000-4000-8000-00000000000e'],
  ['NOTIFY_TEMPLATE_CASE_CHECKIN_SMS', '00000005-0000-4000-8000-00000000000f'] as const,
  ['NOTIFY_TEMPLATE_STAFF_PASSWORD_RESET_EMAIL', '00000006-0000-4000-8000-00000000000e'] as const,
  ['NOTIFY_TEMPLATE_STAFF_ALERT_EMAIL', '00000007-0000-4000-8000-00000000000e'] as const,
  ['NOTIFY_TEMPLATE_STAFF_DIGEST_EMAIL', '00000008-0000-4000-8000-00000000000e'] as const,
])
const base = { APP_ENV: 'test', PGLITE_DATA_DIR: 'memory://' }

describe('GOV.UK Notify configuration', () => {
  it('is off by default, with a 30 second dispatch interval', () => {
    const config = loadConfig(base)
    assert.equal(config.notify.apiKey, undefined)
    assert.equal(config.notify.dispatchIntervalSeconds, 30)
    assert.equal(config.notify.baseUrl, 'https://api.notifications.service.gov.uk')
  })

  it('needs every template id once a key is set, and names the missing ones', () => {
    assert.throws(
      () =>
        loadConfig({
          ...base,
          NOTIFY_API_KEY: KEY,
          NOTIFY_TEMPLATE_ACKNOWLEDGEMENT_EMAIL: templates.NOTIFY_TEMPLATE_ACKNOWLEDGEMENT_EMAIL,
        }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 14 &&
        error.problems.some(problem => problem.startsWith('NOTIFY_TEMPLATE_CLOSED_SMS: required')),
    )
  })

  it('refuses a malformed key or template id', () => {
    assert.throws(() => loadConfig({ ...base, NOTIFY_API_KEY: 'not-a-key' }), ConfigError)
    assert.throws(() => loadConfig({ ...base, NOTIFY_TEMPLATE_CLOSED_SMS: 'closed-template' }), ConfigError)
  })

  it('maps each event and channel to our outbox template names', () => {
    const config = loadConfig({ ...base, NOTIFY_API_KEY: KEY, ...templates })
    const ids = templateIdsFromConfig(config.notify.templates)
    assert.equal(ids[NOTIFICATION_TEMPLATES.acknowledgement]?.email, templates.NOTIFY_TEMPLATE_ACKNOWLEDGEMENT_EMAIL)
    assert.equal(ids[NOTIFICATION_TEMPLATES.status.in_progress]?.sms, templates.NOTIFY_TEMPLATE_IN_PROGRESS_SMS)
    assert.equal(ids[NOTIFICATION_TEMPLATES.status.closed]?.email, templates.NOTIFY_TEMPLATE_CLOSED_EMAIL)
    assert.equal(ids['case-satisfaction-checkin']?.sms, templates.NOTIFY_TEMPLATE_CASE_CHECKIN_SMS)
    assert.equal(ids['staff-password-reset']?.email, templates.NOTIFY_TEMPLATE_STAFF_PASSWORD_RESET_EMAIL)
    assert.equal(ids['staff-alert']?.email, templates.NOTIFY_TEMPLATE_STAFF_ALERT_EMAIL)
    assert.equal(ids['staff-digest']?.email, templates.NOTIFY_TEMPLATE_STAFF_DIGEST_EMAIL)
    assert.equal(Object.keys(ids).length, 9)
  })
})
