import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { startServer, type AppServer } from '../../support/server-process';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test/e2e/screenshots');

/** The flags this machine's Chromium needs headless, and nothing that phones home. */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Why the end-to-end suites cannot run here, or null when they can. In CI a missing browser is a
 * failure, not a skip: `.ci/run` installs Chromium, so its absence means set-up broke.
 */
export function browserUnavailable(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const why = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI) throw new Error(`end-to-end tests need a browser in CI: ${why}`);
  return why;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
}

/** A phone: 360 px wide, touch, the size the driver shop is designed for. */
export async function phoneContext(browser: Browser): Promise<BrowserContext> {
  return watchCsp(await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'en-GB' }));
}

export async function deskContext(browser: Browser): Promise<BrowserContext> {
  return watchCsp(await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' }));
}

/** Every Content-Security-Policy refusal a page reported in its console, for the suite to check. */
export const cspViolations: string[] = [];

function watchCsp(context: BrowserContext): BrowserContext {
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspViolations.push(`${message.location().url}: ${message.text()}`);
  });
  return context;
}

/** Builds the web app as `npm start` does, so the server serves what a user would get. */
export function buildWeb(): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

export interface RunningApp {
  server: AppServer;
  stop: () => Promise<void>;
}

/**
 * The whole app with the demo seed, as after `npm start`: on a fresh database of the test
 * PostgreSQL when there is one, else on a fresh embedded PGlite directory.
 */
export async function startDemoApp(pgUrl: string | null): Promise<RunningApp> {
  if (pgUrl) {
    const database = `milepost_e2e_${process.pid}_${Date.now()}`;
    const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${database}`);
    const url = new URL(pgUrl);
    url.pathname = `/${database}`;
    const server = await startServer({ DATABASE_URL: url.toString(), SEED: 'demo' });
    return {
      server,
      async stop() {
        await server.stop();
        await admin.unsafe(`drop database if exists ${database} with (force)`);
        await admin.end();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'milepost-e2e-'));
  const server = await startServer({ DATA_DIR: dataDir, SEED: 'demo', DATABASE_URL: undefined });
  return {
    server,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, `${name}.png`);
}
