import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  browserUnavailable,
  buildWeb,
  cspViolations,
  deskContext,
  launchChromium,
  phoneContext,
  screenshotPath,
  startDemoApp,
  type RunningApp,
} from './support/harness';

const unavailable = browserUnavailable();
if (unavailable) console.log(`[e2e] skipped: ${unavailable}`);

const committee = { phone: '13800000001', password: 'committee-demo-1' };
// The inspection station sells the headlight alignment the driver buys below.
const station = { phone: '13700000003', password: 'station-demo-1' };
const offerTitle = '灯光调校 Headlight alignment';

/** Yesterday in the programme's calendar (China), as a date input wants it. */
function yesterdayInChina(): string {
  return new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
}

/**
 * The journey the programme exists for, in real Chromium against `npm start`'s server and demo
 * seed: a driver signs up on a phone and claims hours; the committee approves the claim at a desk;
 * the driver redeems and shows the voucher; the station's clerk confirms it; the committee sees
 * the redemption on the dashboard. Then every main page, in both languages, at 360 px.
 */
describe.skipIf(unavailable !== null)('end to end in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let driverContext: BrowserContext;
  let driver: Page;
  let code = '';
  const event = `E2E convoy ${Date.now()}`;

  beforeAll(async () => {
    buildWeb();
    [app, browser] = await Promise.all([startDemoApp(inject('pgUrl')), launchChromium()]);
    driverContext = await phoneContext(browser);
    driver = await driverContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const url = (path: string) => `${app.server.base}${path}`;

  async function signIn(context: BrowserContext, who: { phone: string; password: string }): Promise<Page> {
    const page = await context.newPage();
    await page.goto(url('/login'));
    await page.getByLabel('Phone number').fill(who.phone);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname !== '/login');
    return page;
  }

  /** The dashboard's count of confirmed redemptions in the last 30 days. */
  async function confirmedRedemptions(page: Page): Promise<number> {
    await page.goto(url('/console'));
    const text = await page.getByText(/\d+ confirmed redemptions/).first().textContent();
    return Number(/(\d+) confirmed redemptions/.exec(text ?? '')![1]);
  }

  it('a new driver signs up on a phone and lands on their home page', async () => {
    await driver.goto(url('/register'));
    await driver.getByLabel('Phone number').fill('139 1234 0001');
    await driver.getByLabel('Your name').fill('E2E Driver');
    await driver.getByLabel('Plate number').fill('粤B·E2E01');
    await driver.getByLabel('Choose a password').fill('e2e-driver-password');
    await driver.getByRole('button', { name: 'Create account' }).click();
    await driver.waitForURL(url('/'));
    await driver.getByRole('heading', { level: 1, name: /E2E Driver/ }).waitFor();
    await driver.getByText('Available to spend').waitFor();
  });

  it('the driver claims volunteering hours and the committee approves them from a second browser', async () => {
    await driver.goto(url('/earn/volunteering/new'));
    await driver.getByLabel('Event').fill(event);
    await driver.getByLabel('Date').fill(yesterdayInChina());
    await driver.getByLabel('Hours').fill('10');
    await driver.getByLabel('Organiser', { exact: false }).first().fill('Shenzhen Transport Volunteers');
    await driver.getByRole('button', { name: 'Send claim' }).click();
    await driver.getByText('Your claim was sent.').waitFor();

    const desk = await deskContext(browser);
    const console = await signIn(desk, committee);
    await console.goto(url('/console/claims'));
    const card = console.getByRole('article').filter({ hasText: event });
    await card.getByRole('button', { name: 'Approve' }).click();
    await console.getByText(/Approved the claim of E2E Driver/).waitFor();
    await desk.close();

    await driver.goto(url('/'));
    const balance = driver.getByRole('region', { name: 'Your points' });
    await expect.poll(async () => (await balance.textContent()) ?? '', { timeout: 15_000 }).toMatch(/100/);
  });

  it('the driver redeems an offer with a confirm step and gets a voucher with a QR and a code', async () => {
    await driver.goto(url('/shop'));
    await driver.getByRole('link', { name: offerTitle }).click();
    await driver.getByRole('button', { name: 'Redeem' }).click();
    await driver.getByRole('button', { name: 'Confirm redemption' }).click();
    await driver.waitForURL(/\/vouchers\/[0-9a-f-]{36}$/);
    await driver.getByRole('img', { name: /QR/i }).waitFor();
    // What the driver reads out at the counter: the code in large type, in its groups.
    code = (await driver.locator('.shop-ticket__group').allTextContents()).join('');
    expect(code).toMatch(/^[0-9A-Z]{6,}$/);
    await driver.screenshot({ path: screenshotPath('driver-voucher'), fullPage: true });
  });

  it('the station clerk confirms the voucher after seeing what to honour, and the dashboard counts it', async () => {
    const committeeDesk = await deskContext(browser);
    const dashboard = await signIn(committeeDesk, committee);
    const before = await confirmedRedemptions(dashboard);

    const counter = await deskContext(browser);
    const clerk = await signIn(counter, station);
    await clerk.waitForURL(url('/desk'));
    await clerk.getByLabel('Voucher code').fill(code);
    await clerk.getByRole('button', { name: 'Check code' }).click();
    await clerk.getByText('E2E Driver').waitFor();
    await clerk.getByText('粤B·E2E01').waitFor();
    await clerk.getByRole('button', { name: 'Confirm', exact: true }).click();
    await clerk.getByText('Voucher confirmed').waitFor();

    // The same code again is refused in words: a voucher is honoured once.
    await clerk.getByLabel('Voucher code').fill(code);
    await clerk.getByRole('button', { name: 'Check code' }).click();
    await clerk.getByText(/already been used/).waitFor();
    await counter.close();

    await expect.poll(() => confirmedRedemptions(dashboard), { timeout: 15_000 }).toBe(before + 1);
    await committeeDesk.close();

    await driver.goto(url('/vouchers'));
    await driver.getByText('Used').first().waitFor();
  });

  const pages = {
    driver: ['/', '/shop', '/vouchers', '/statement', '/rating', '/inbox', '/earn', '/earn/volunteering/new', '/earn/reports/new', '/earn/reports', '/earn/appeals'],
    partner: ['/desk', '/desk/today', '/desk/statement'],
    committee: ['/console', '/console/claims', '/console/reports', '/console/appeals', '/console/imports', '/console/rules', '/console/rating-policy', '/console/partners', '/console/offers', '/console/awards', '/console/drivers', '/console/audit'],
  };

  async function tour(page: Page, paths: string[], role: string, language: string) {
    for (const path of paths) {
      await page.goto(url(path));
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.getByText(/could not load this (page|part)|无法加载/).count(), `${path} failed to load`).toBe(0);
      // Nothing wider than the phone: no sideways scrolling of the page itself.
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} is wider than 360 px`).toBeLessThanOrEqual(360);
      const name = `${role}-${language}${path.replaceAll('/', '-')}`.replace(/-$/, '');
      await page.screenshot({ path: screenshotPath(name), fullPage: true });
    }
  }

  it('every main page renders at 360 px in English and in Chinese, for each role', async () => {
    const roles: [string, { phone: string; password: string } | null, string[]][] = [
      ['driver', null, pages.driver],
      ['partner', station, pages.partner],
      ['committee', committee, pages.committee],
    ];
    for (const [role, who, paths] of roles) {
      const context = await phoneContext(browser);
      if (who === null) await context.addCookies(await driverContext.cookies());
      const page = who ? await signIn(context, who) : await context.newPage();
      await tour(page, paths, role, 'en');
      await page.getByLabel('Language').selectOption('zh-CN');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
      await tour(page, paths, role, 'zh');
      // The choice is remembered across visits.
      await page.reload();
      await page.getByLabel('语言').waitFor();
      await context.close();
    }
    await driver.goto(url('/shop'));
    await driver.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shop', exact: true }).waitFor();
  });

  it('the API reference renders, and no page was refused anything by the Content-Security-Policy', async () => {
    const context = await deskContext(browser);
    const docs = await context.newPage();
    await docs.goto(url('/api/docs'));
    await docs.getByRole('heading', { name: /Milepost API/ }).waitFor();
    await context.close();
    expect(cspViolations).toEqual([]);
  });
});
