import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type FakeAegis, startFakeAegis, webhookHeaders } from '@gatekeeper/testkit/aegis'
import { waitFor } from '@gatekeeper/testkit/ports'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { askAuthz } from './e2e/authz-probe'
import { ARTIFACTS_DIR, CHROMIUM, DOCS_IMAGES_DIR, missingForE2e } from './e2e/paths'
import { type Stack, startStack } from './e2e/stack'

// The console as an operator meets it: built with `vite build`, served under /console/ next to a real
// console-api (Postgres, fake Aegis) and a real authz, driven in Debian's Chromium. Each screen it
// passes through is saved under test-artifacts/e2e/ (not committed); the few that docs/console.md shows
// are written to docs/images/ as well, so the documentation always shows the console as it is.

const ADMIN_EMAIL = 'e2e-admin@acme.test'
const PASSWORD = 'correct horse battery'
const ROUTE_PATTERN = '/e2e/orders/*'
const CLIENT_NAME = 'e2e-billing'
/** A client created by applying a configuration file (where the console-api has config as code). */
const FILE_CLIENT = 'e2e-from-file'
const missing = missingForE2e()

describe.skipIf(missing !== null)(
  `console in Chromium against the real stack${missing === null ? '' : ` (skipped: ${missing})`}`,
  () => {
    let aegis: FakeAegis
    let stack: Stack
    let browser: Browser
    let page: Page
    const pageErrors: Array<string> = []
    let shot = 0

    async function screenshot(name: string): Promise<void> {
      shot += 1
      await page.screenshot({
        path: join(ARTIFACTS_DIR, `${String(shot).padStart(2, '0')}-${name}.png`),
        fullPage: true,
      })
    }

    /** A screenshot for the docs (docs/images/<name>.png): the visible viewport, as a reader would see it. */
    async function docsImage(name: string): Promise<void> {
      await page.screenshot({ path: join(DOCS_IMAGES_DIR, `${name}.png`) })
    }

    async function go(hash: string): Promise<void> {
      await page.goto(`${stack.consoleUrl}${hash}`)
    }

    /** A screen from the side navigation (the overview has links of the same names). */
    /** Follows a navigation link and waits for its address: until then the previous screen is still showing. */
    async function nav(name: string): Promise<void> {
      const link = page.locator('nav').getByRole('link', { name, exact: true })
      const href = (await link.getAttribute('href')) ?? ''
      await link.click()
      await page.waitForURL((url) => url.hash === href.slice(href.indexOf('#')))
    }

    function decide(apiKey: string) {
      return askAuthz(stack.authzUrl, { uri: '/e2e/orders/42', method: 'GET', host: 'api.acme.test', apiKey })
    }

    /** authz's decision for the key once it is `expected`: a change reaches authz a moment after the console shows it. */
    function decideWith(key: string, expected: number, what: string) {
      return waitFor(
        what,
        async () => {
          const decision = await decide(key)
          return decision.status === expected ? decision : undefined
        },
        10_000,
      )
    }

    beforeAll(async () => {
      await mkdir(ARTIFACTS_DIR, { recursive: true })
      await mkdir(DOCS_IMAGES_DIR, { recursive: true })
      aegis = await startFakeAegis()
      stack = await startStack({ aegis, adminEmail: ADMIN_EMAIL })
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      })
      page = await browser.newPage({ viewport: { width: 1360, height: 900 } })
      page.setDefaultTimeout(15_000)
      page.on('pageerror', (error) => pageErrors.push(error.message))
    })

    afterAll(async () => {
      await browser?.close()
      await stack?.stop()
      await aegis?.stop()
    })

    it('registers, verifies the email and signs in through the console-api proxy', async () => {
      await page.goto(stack.consoleUrl)
      await page.waitForURL(/#\/sign-in\?next=%2F$/)
      expect(await page.getByTestId('console-title').textContent()).toBe('Acme APIs · Gatekeeper console')
      expect(await page.title()).toBe('Acme APIs · Gatekeeper console')
      await screenshot('sign-in')
      await docsImage('console-sign-in')

      await page.getByRole('link', { name: 'Create an account' }).click()
      await page.getByLabel('Email').fill(ADMIN_EMAIL)
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
      await page.getByLabel('Repeat password').fill(PASSWORD)
      const registered = page.waitForResponse((response) => response.url().endsWith('/api/auth/register'))
      await page.getByRole('button', { name: 'Create account' }).click()
      const answer: unknown = await (await registered).json()
      const userId =
        typeof answer === 'object' && answer !== null && 'user_uuid' in answer ? String(answer.user_uuid) : ''
      await page.getByText('Check your inbox').waitFor()
      await screenshot('registered')

      const token = aegis.emailedToken('verification', userId)
      expect(token).toBeDefined()
      await go(`#/verify-email?token=${token}`)
      await page.getByText('The link is valid').waitFor()
      await screenshot('verify-email')
      await page.getByRole('button', { name: 'Verify email' }).click()
      await page.getByText('Email verified').waitFor()

      // Aegis tells console-api, which provisions the address because it is on AEGIS_ADMIN_EMAILS.
      const body = JSON.stringify({
        event_type: 'user.verified',
        site_id: aegis.siteId,
        user_id: userId,
        email: ADMIN_EMAIL,
        aegis_role: 'user',
        timestamp: Math.floor(Date.now() / 1000),
      })
      const webhook = await fetch(`${stack.consoleApiUrl}/api/webhooks/aegis`, {
        method: 'POST',
        headers: webhookHeaders(stack.webhookSecret, body),
        body,
      })
      expect(webhook.status).toBeLessThan(300)

      await go('#/sign-in')
      await page.getByLabel('Email').fill(ADMIN_EMAIL)
      // A wrong password is refused, and says so: nothing about an expired session.
      await page.getByLabel('Password', { exact: true }).fill('not the password')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByText('Sign-in refused: the email or password is not right.').waitFor()
      expect(await page.getByText(/expired/i).count()).toBe(0)
      await screenshot('sign-in-refused')

      await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('heading', { name: 'Overview' }).waitFor()
      expect(await page.getByTestId('console-title').textContent()).toBe('Acme APIs · Gatekeeper console')
      expect(await page.evaluate(() => window.localStorage.length)).toBe(0)
      await screenshot('overview')
    })

    it('creates a route with per-method authentication, starting from the empty list', async () => {
      await nav('Routes')
      const empty = page.getByTestId('empty-routes')
      await empty.getByRole('heading', { name: 'No routes yet' }).waitFor()
      await docsImage('console-empty-routes')
      await empty.getByRole('button', { name: 'Create a route' }).click()
      await page.waitForURL(/#\/routes\/new$/)
      await page.getByLabel('Path pattern').fill(ROUTE_PATTERN)
      await page.getByLabel('Service name').fill('orders')
      await page.getByLabel('GET API key').check()
      await page.getByRole('checkbox', { name: 'POST' }).check()
      await page.getByLabel('POST HMAC').check()
      await screenshot('route-form')
      await page.getByRole('button', { name: 'Create route' }).click()
      await page.waitForURL(/#\/routes$/)
      await page.getByRole('link', { name: ROUTE_PATTERN }).waitFor()
      await screenshot('routes')
    })

    let apiKey = ''
    let keyWasAllowed = false

    it('creates a client and shows its API key once', async () => {
      await nav('Clients')
      await page.getByRole('button', { name: 'New client' }).click()
      await page.getByLabel('Client name').fill(CLIENT_NAME)
      await page.getByRole('form', { name: 'Create client' }).getByRole('button', { name: 'Create client' }).click()
      const dialog = page.getByRole('dialog', { name: `Credentials for ${CLIENT_NAME}` })
      await dialog.getByText('Shown once: copy them now').waitFor()
      apiKey = (await dialog.getByTestId('secret-API key').textContent()) ?? ''
      expect(apiKey.length).toBeGreaterThan(20)
      await screenshot('client-credentials')

      await dialog.getByRole('button', { name: 'I have stored them safely' }).click()
      await dialog.waitFor({ state: 'detached' })
      const row = page.getByTestId(`client-row-${CLIENT_NAME}`)
      await row.waitFor()
      expect(await page.content()).not.toContain(apiKey)
      expect(await row.textContent()).toContain(apiKey.slice(-4))
      await screenshot('clients')
      await docsImage('console-clients')
      expect((await decide(apiKey)).status).toBe(403)
    })

    it('keeps the clients table usable on a 390 px wide phone', async () => {
      await page.setViewportSize({ width: 390, height: 844 })
      try {
        await go('#/clients')
        const row = page.getByTestId(`client-row-${CLIENT_NAME}`)
        await row.waitFor()
        // The page itself never scrolls sideways: only the table, inside its own box.
        // (Measured once the layout settled: the resize from the desktop width relayouts the filter row a frame late.)
        await expect
          .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), { timeout: 3000 })
          .toBeLessThanOrEqual(0)
        // Name and status are visible without scrolling; no badge is cut at the edge.
        const status = row.getByText('active', { exact: true })
        const badge = await status.boundingBox()
        expect(badge).not.toBeNull()
        expect((badge?.x ?? -1) >= 0 && (badge?.x ?? 0) + (badge?.width ?? 0) <= 390).toBe(true)
        // …and shows its whole word, not an ellipsis.
        expect(await status.evaluate((label) => label.scrollWidth <= label.clientWidth)).toBe(true)
        await screenshot('clients-phone')
        await docsImage('console-clients-phone')
        // The actions at the far end are reachable by scrolling the table, and then fully on screen.
        const del = row.getByRole('button', { name: 'Delete' })
        await del.scrollIntoViewIfNeeded()
        const box = await del.boundingBox()
        expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 390).toBe(true)
      } finally {
        await page.setViewportSize({ width: 1360, height: 900 })
      }
    })

    it('grants GET in the permission matrix, and authz allows the key', async () => {
      await nav('Permissions')
      const granted = page.waitForResponse(
        (response) => response.url().endsWith('/api/admin/permissions') && response.request().method() === 'POST',
      )
      const get = page.getByRole('checkbox', { name: `${CLIENT_NAME} ${ROUTE_PATTERN} GET` })
      await get.check()
      expect((await granted).status()).toBe(201)
      await expect(get.isChecked()).resolves.toBe(true)
      await expect(
        page.getByRole('checkbox', { name: `${CLIENT_NAME} ${ROUTE_PATTERN} POST` }).isChecked(),
      ).resolves.toBe(false)
      await screenshot('permissions')

      const allowed = await decideWith(apiKey, 200, 'authz to allow the new key')
      expect(allowed.status).toBe(200)
      keyWasAllowed = true
    })

    it('suspends the client in the UI, and authz denies the key', async () => {
      // A deny only means something for a key that was allowed a moment ago.
      expect(keyWasAllowed).toBe(true)
      await nav('Clients')
      const row = page.getByTestId(`client-row-${CLIENT_NAME}`)
      await row.getByRole('button', { name: 'Suspend' }).click()
      await row.getByText('suspended').waitFor()
      await screenshot('client-suspended')

      const denied = await decideWith(apiKey, 403, 'authz to deny the suspended client')
      expect(denied.status).toBe(403)
    })

    let rotatedKey = ''

    it('rotates the API key with a grace period, showing the new key once', async () => {
      const row = page.getByTestId(`client-row-${CLIENT_NAME}`)
      await row.getByRole('button', { name: 'Rotate' }).click()
      const form = page.getByRole('form', { name: 'Rotate credential' })
      await form.getByRole('button', { name: 'Rotate' }).click()
      const dialog = page.getByRole('dialog', { name: `Credentials for ${CLIENT_NAME}` })
      await dialog.getByText(/previous value keeps working until/).waitFor()
      const rotated = (await dialog.getByTestId('secret-API key').textContent()) ?? ''
      expect(rotated.length).toBeGreaterThan(20)
      expect(rotated).not.toBe(apiKey)
      rotatedKey = rotated
      await screenshot('client-rotated')
      await dialog.getByRole('button', { name: 'I have stored them safely' }).click()
      await dialog.waitFor({ state: 'detached' })
      expect(await page.content()).not.toContain(rotated)
    })

    it('lists the permissions a route deletion would take with it', async () => {
      await nav('Routes')
      await page
        .getByRole('row', { name: new RegExp(ROUTE_PATTERN.replaceAll('*', '\\*')) })
        .getByRole('button', { name: 'Delete' })
        .click()
      const dialog = page.getByRole('dialog', { name: 'Delete route' })
      await dialog.getByText('This also revokes 1 permission:').waitFor()
      await dialog.getByText(`${CLIENT_NAME}: GET`).waitFor()
      await screenshot('route-delete-cascade')
      await dialog.getByRole('button', { name: 'Cancel' }).click()
      await dialog.waitFor({ state: 'detached' })
    })

    it('asks for sign-in again over the same screen when the token dies, and keeps what was typed', async () => {
      await page.getByRole('button', { name: 'New route' }).click()
      await page.getByLabel('Path pattern').fill('/e2e/later')
      await page.getByLabel('Service name').fill('later')
      await page.getByLabel('GET Public').check()
      const stored = (await page.evaluate(() => window.sessionStorage.getItem('gatekeeper.console.session'))) ?? ''
      const token = /"token":"([^"]+)"/.exec(stored)?.[1]
      expect(token).toBeDefined()
      aegis.revokeToken(token ?? '')

      await page.getByRole('button', { name: 'Create route' }).click()
      const overlay = page.getByRole('dialog', { name: 'Session expired' })
      await overlay.getByLabel('Password', { exact: true }).waitFor()
      await screenshot('session-expired')
      await overlay.getByLabel('Password', { exact: true }).fill(PASSWORD)
      await overlay.getByRole('button', { name: 'Sign in' }).click()
      await overlay.waitFor({ state: 'detached' })
      expect(page.url()).toMatch(/#\/routes\/new$/)
      expect(await page.getByLabel('Path pattern').inputValue()).toBe('/e2e/later')

      await page.getByRole('button', { name: 'Create route' }).click()
      await page.waitForURL(/#\/routes$/)
      await page.getByRole('link', { name: '/e2e/later' }).waitFor()
    })

    it('shows rate limits with usage, the admins and the audit trail of what was done', async () => {
      await nav('Rate limits')
      await page.getByRole('button', { name: 'Set limit' }).first().click()
      await page.getByLabel('Requests per minute').fill('120')
      await page.getByRole('button', { name: 'Save limit' }).click()
      await page.getByText('120', { exact: true }).waitFor()
      await screenshot('rate-limits')

      await nav('Admins')
      await page.getByRole('main').getByText(ADMIN_EMAIL).waitFor()
      await screenshot('admins')

      await nav('Audit log')
      await page.getByRole('cell', { name: 'client' }).first().waitFor()
      await screenshot('audit')

      await nav('Overview')
      await page.getByTestId('stat-Clients').filter({ hasText: '1' }).waitFor()
      await page.getByTestId('stat-Denied clients').filter({ hasText: '1' }).waitFor()
      await page.getByText(/No client is near its limit|this (minute|day)/).waitFor()
      await screenshot('overview-after')
      expect(pageErrors).toEqual([])
    })

    /** An admin API read with the console's own session token, to compare what the page shows with the API. */
    async function adminCall(
      method: string,
      path: string,
      body?: unknown,
    ): Promise<{ status: number; body: Record<string, unknown> }> {
      const stored = (await page.evaluate(() => window.sessionStorage.getItem('gatekeeper.console.session'))) ?? ''
      const token = /"token":"([^"]+)"/.exec(stored)?.[1] ?? ''
      const answer = await fetch(`${stack.consoleApiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: answer.status, body: (await answer.json().catch(() => ({}))) as Record<string, unknown> }
    }
    const adminGet = (path: string) => adminCall('GET', path)

    let clientId = ''

    it('walks the client page: identity, reactivation, permissions, rate limit with usage, credentials, audit', async () => {
      expect(rotatedKey).not.toBe('')
      await nav('Clients')
      await page.getByTestId(`client-row-${CLIENT_NAME}`).getByRole('link', { name: CLIENT_NAME }).click()
      await page.waitForURL(/#\/clients\/[0-9a-f-]{36}$/)
      clientId = decodeURIComponent(page.url().split('#/clients/')[1] ?? '')
      await page.getByRole('heading', { name: CLIENT_NAME }).waitFor()
      expect(await page.getByTestId('client-id').textContent()).toBe(clientId)
      const identity = page.getByTestId('client-identity')
      await identity.getByText('suspended', { exact: true }).waitFor()

      // Reactivated from its page, the client's new key is allowed again; a few requests count against its limit.
      await page.getByTestId('client-actions').getByRole('button', { name: 'Activate' }).click()
      await identity.getByText('active', { exact: true }).waitFor()
      await decideWith(rotatedKey, 200, 'authz to allow the reactivated client')
      for (let i = 0; i < 3; i += 1) expect((await decide(rotatedKey)).status).toBe(200)
      // Where authz counts usage, wait until these decisions are in the database (it flushes every 200 ms here).
      const usagePath = `/api/admin/clients/${clientId}/usage?window=24h`
      const countsUsage = (await adminGet(usagePath)).status === 200
      if (countsUsage) {
        await waitFor(
          'the usage counts to reach the database',
          async () => ((await adminGet(usagePath)).body.totals as { allowed: number }).allowed >= 4 || undefined,
          10_000,
        )
      }

      await page.getByTestId('client-permissions').getByRole('link', { name: ROUTE_PATTERN }).waitFor()
      const usageAnswer = page.waitForResponse((response) => response.url().includes(`/clients/${clientId}/usage`))
      await page.reload()
      const limit = page.getByTestId('client-rate-limit')
      const minute = limit.getByText(/this minute: \d+ \/ 120/)
      await minute.waitFor()
      expect(Number(/this minute: (\d+)/.exec((await minute.textContent()) ?? '')?.[1])).toBeGreaterThanOrEqual(4)

      // Credentials: per-credential records where the console-api serves them, else the summary of each kind.
      const detail = await adminGet(`/api/admin/clients/${clientId}`)
      expect(detail.status).toBe(200)
      const hasRecords = Array.isArray(detail.body.credentials)
      const credentials = page.getByTestId('client-credentials')
      const current = credentials.getByTestId('credential-api_key-current')
      expect(await current.textContent()).toContain(rotatedKey.slice(0, 6))
      await current.getByRole('button', { name: 'Edit' }).click()
      const form = page.getByRole('form', { name: /^Edit API key/ })
      await form.getByLabel(/Expires/).fill('2030-01-01T12:30')
      if (hasRecords) await form.getByLabel('IP allowlist').fill('203.0.113.0/24')
      await form.getByRole('button', { name: 'Save' }).click()
      await form.waitFor({ state: 'detached' })
      await current.getByTestId('credential-expires').getByText('2030-01-01 12:30:00').waitFor()
      const expected = Math.floor(new Date(2030, 0, 1, 12, 30).getTime() / 1000)
      const after = (await adminGet(`/api/admin/clients/${clientId}`)).body
      if (hasRecords) {
        const records = after.credentials as Array<Record<string, unknown>>
        const record = records.find((row) => row.kind === 'api_key' && row.state === 'current')
        expect(record).toMatchObject({ expires_at: expected, ip_allowlist: ['203.0.113.0/24'] })
        await current.getByTestId('credential-allowlist').getByText('203.0.113.0/24').waitFor()
        // The key was used a moment ago: its last use is a time, not "never".
        expect(await current.getByTestId('credential-last-used').textContent()).toMatch(/^\d{4}-\d\d-\d\d /)
        // authz now refuses the key from 127.0.0.1, which is outside its allowlist…
        expect((await decideWith(rotatedKey, 403, 'authz to refuse an IP outside the allowlist')).body).toContain(
          'ip_not_allowed',
        )
        // …and the previous key (still in its grace period) stops at once when revoked.
        const previous = credentials.getByTestId('credential-api_key-previous')
        await previous.getByRole('button', { name: 'Revoke' }).click()
        const confirm = page.getByRole('dialog', { name: 'Revoke credential' })
        await confirm.getByRole('button', { name: 'Revoke now' }).click()
        await confirm.waitFor({ state: 'detached' })
        await previous.getByTestId('credential-expires').getByText('expired').waitFor()
        await decideWith(apiKey, 401, 'authz to refuse the revoked previous key')
        // Clearing the allowlist lets the current key in again.
        await current.getByRole('button', { name: 'Edit' }).click()
        await form.getByLabel('IP allowlist').fill('')
        await form.getByRole('button', { name: 'Save' }).click()
        await form.waitFor({ state: 'detached' })
        await decideWith(rotatedKey, 200, 'authz to allow the key from any IP again')
      } else {
        expect(after.api_key_expires_at).toBe(expected)
      }
      if ('metadata' in detail.body) {
        // Metadata set through the API shows on the page as formatted JSON.
        const metadata = { team: 'payments', tier: 2, contacts: ['oncall@acme.test'] }
        expect((await adminCall('PUT', `/api/admin/clients/${clientId}`, { metadata })).status).toBe(200)
        await page.reload()
        const shown = page.getByTestId('client-metadata')
        await shown.waitFor()
        expect(JSON.parse((await shown.textContent()) ?? '')).toEqual(metadata)
        expect(await shown.textContent()).toContain('\n  "team": "payments"')
      }

      // The usage chart, where the console-api counts usage; the section is absent where it does not.
      const usage = await usageAnswer
      const section = page.getByTestId('client-usage')
      if (usage.status() === 200) {
        await section.getByTestId('usage-chart').waitFor()
        expect(await section.getByTestId('usage-bar').count()).toBe(24)
        const totals = (await adminGet(`/api/admin/clients/${clientId}/usage?window=24h`)).body.totals as {
          allowed: number
        }
        const shown = Number((await section.getByTestId('usage-total-allowed').textContent())?.replaceAll(',', ''))
        // The four allowed decisions above at least; at most what the API reports a moment later.
        expect(shown).toBeGreaterThanOrEqual(4)
        expect(shown).toBeLessThanOrEqual(totals.allowed)
        const monthly = page.waitForResponse((response) => response.url().includes('window=30d'))
        await section.getByText('Last 30 d').click()
        expect((await monthly).status()).toBe(200)
        await section.getByTestId('usage-bar').nth(29).waitFor()
        expect(await section.getByTestId('usage-bar').count()).toBe(30)
      } else {
        expect(usage.status()).toBe(404)
        expect(await section.count()).toBe(0)
      }

      const audit = page.getByTestId('client-audit')
      await audit.getByText('client.rotate_api_key').first().waitFor()
      await audit.getByText('client.update').first().waitFor()
      await audit.getByText('rate_limit.set').first().waitFor()
      await page.evaluate(() => window.scrollTo(0, 0))
      await screenshot('client-page')
      await page.screenshot({ path: join(DOCS_IMAGES_DIR, 'console-client.png'), fullPage: true })
    })

    it('links client names from the other screens to the client page, and filters clients by last use', async () => {
      await nav('Rate limits')
      // The rate-limits table itself (the client page just left lists the same name in its audit entries).
      await page
        .getByRole('main')
        .getByRole('table')
        .filter({ has: page.getByRole('columnheader', { name: 'Per minute' }) })
        .getByRole('link', { name: CLIENT_NAME })
        .click()
      await page.waitForURL(new RegExp(`#/clients/${clientId}$`))
      await nav('Audit log')
      await page.getByRole('main').getByRole('link', { name: CLIENT_NAME }).first().click()
      await page.waitForURL(new RegExp(`#/clients/${clientId}$`))

      await nav('Clients')
      await page.getByTestId(`client-row-${CLIENT_NAME}`).waitFor()
      const filtered = page.waitForResponse((response) => response.url().includes('unused_for=90d'))
      await page.getByText('90 days', { exact: true }).click()
      const answer = await filtered
      expect(answer.status()).toBe(200)
      await page.waitForURL(/#\/clients\?unused_for=90d$/)
      const listed = (await answer.json()) as Array<{ client_name: string }>
      const all = (await adminGet('/api/admin/clients')).body as unknown as Array<Record<string, unknown>>
      if (all.some((client) => 'last_used_at' in client)) {
        // The server filters: a client created minutes ago is not unused for 90 days, used or not, and the page
        // shows exactly the clients the server returned.
        expect(listed.map((client) => client.client_name)).not.toContain(CLIENT_NAME)
        for (const client of listed) await page.getByTestId(`client-row-${client.client_name}`).waitFor()
        if (listed.length === 0) await page.getByTestId('empty-unused-clients').waitFor()
        expect(await page.getByTestId(`client-row-${CLIENT_NAME}`).count()).toBe(0)
      } else {
        await page.getByText('Last use is not tracked by this console-api').waitFor()
      }
      await screenshot('clients-unused')
    })

    it('applies a configuration file through the API and walks its change set to the client it created', async () => {
      // Where the console-api has configuration as code: export, add a client, plan, apply (one change set).
      const exported = await adminGet('/api/admin/config/export?format=json')
      let changeSetId: string | null = null
      if (exported.status === 200) {
        const file = exported.body as { clients?: Array<unknown> }
        file.clients = [...(file.clients ?? []), { client_name: FILE_CLIENT, credentials: [{ kind: 'api_key' }] }]
        const plan = await adminCall('POST', '/api/admin/config/plan', file)
        expect(plan.status).toBe(200)
        const applied = await adminCall(
          'POST',
          `/api/admin/config/apply?expected_version=${String(plan.body.config_version)}`,
          file,
        )
        expect(applied.status).toBe(200)
        expect(applied.body.applied).toBe(true)
        changeSetId = String(applied.body.change_set_id)
      } else {
        expect(exported.status).toBe(404)
      }

      const list = page.waitForResponse((response) => response.url().includes('/api/admin/config/changesets'))
      await nav('Change sets')
      const answer = await list
      if (changeSetId !== null) {
        expect(answer.status()).toBe(200)
        const row = page.getByTestId(`changeset-${changeSetId}`)
        await row.getByText(ADMIN_EMAIL).waitFor()
        expect(await row.textContent()).toMatch(/\+[1-9]/)
        await screenshot('changesets')
        await row.getByRole('link').first().click()
        await page.getByRole('heading', { name: `Change set ${changeSetId}` }).waitFor()
        await page.getByText('client.create').first().waitFor()
        await screenshot('changeset')
        await page.getByRole('main').getByRole('link', { name: FILE_CLIENT }).first().click()
        await page.getByRole('heading', { name: FILE_CLIENT }).waitFor()
        await page.getByTestId('client-audit').getByText('client.create').waitFor()
      } else {
        expect(answer.status()).toBe(404)
        await page.getByTestId('changesets-unavailable').waitFor()
        await screenshot('changesets')
      }
      expect(pageErrors).toEqual([])
    })
  },
)
