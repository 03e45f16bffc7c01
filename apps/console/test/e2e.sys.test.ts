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
    async function nav(name: string): Promise<void> {
      await page.locator('nav').getByRole('link', { name, exact: true }).click()
    }

    function decide(apiKey: string) {
      return askAuthz(stack.authzUrl, { uri: '/e2e/orders/42', method: 'GET', host: 'api.acme.test', apiKey })
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
        const widths = await page.evaluate(() => ({
          page: document.documentElement.scrollWidth,
          viewport: window.innerWidth,
        }))
        expect(widths.page).toBeLessThanOrEqual(widths.viewport)
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

      const allowed = await waitFor(
        'authz to allow the new key',
        async () => {
          const decision = await decide(apiKey)
          return decision.status === 200 ? decision : undefined
        },
        10_000,
      )
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

      const denied = await waitFor(
        'authz to deny the suspended client',
        async () => {
          const decision = await decide(apiKey)
          return decision.status === 403 ? decision : undefined
        },
        10_000,
      )
      expect(denied.status).toBe(403)
    })

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
  },
)
