// Web budgets (issue #7), in real headless Chromium against `npm start`'s server:
//
//  - the driver shop's initial JS: every script the browser fetches until the driver's home page
//    shows the balance (the `milepost:home-ready` mark), gzip-compressed as a static server would
//    send it; budget 60 KB;
//  - first meaningful render on localhost: navigation start → `milepost:home-ready`, median over
//    RUNS cold page loads (fresh context, empty cache); budget < 1 s. First contentful paint too;
//  - the committee console loads its charts lazily: uPlot is in none of the driver's scripts.
//
// Usage: npm run bench:web  (RUNS=15 by default). Needs /usr/bin/chromium (or CHROMIUM_PATH).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildWeb, launchChromium } from '../e2e/support/harness';
import { startServer } from '../support/server-process';
import { ROOT, positiveNumber, stats } from './measure';

const RUNS = positiveNumber(process.env.RUNS, 15);
const JS_BUDGET_KB = 60;
const RENDER_BUDGET_MS = 1000;
const DIST = join(ROOT, 'web/dist');
const driver = { phone: '13900000001', password: 'driver-demo-01' };
const committee = { phone: '13800000001', password: 'committee-demo-1' };

interface Load {
  readyMs: number;
  fcpMs: number;
  scripts: string[];
}

/** gzip -9 size of a built asset, as a static server would send it precompressed. */
function gzipBytes(urlPath: string): number {
  return gzipSync(readFileSync(join(DIST, urlPath)), { level: 9 }).length;
}

async function signedInContext(browser: Browser, base: string, who: typeof driver, width: number): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, isMobile: width < 500 });
  const res = await context.request.post(`${base}/api/auth/login`, { data: who });
  if (!res.ok()) throw new Error(`sign-in failed: ${res.status()} ${await res.text()}`);
  return context;
}

/** One cold load of `path` until `mark` (or a selector) appears; the scripts fetched on the way. */
async function coldLoad(page: Page, base: string, path: string, mark: string): Promise<Load> {
  await page.goto(`${base}${path}`);
  await page.waitForFunction((name) => performance.getEntriesByName(name, 'mark').length > 0, mark, { timeout: 15_000 });
  return page.evaluate((name) => {
    const ready = performance.getEntriesByName(name, 'mark')[0]!.startTime;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const scripts = performance
      .getEntriesByType('resource')
      .filter((e) => e.startTime <= ready && new URL(e.name).pathname.endsWith('.js'))
      .map((e) => new URL(e.name).pathname);
    const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    scripts.push(...[...document.querySelectorAll('script[src]')].map((s) => new URL((s as HTMLScriptElement).src).pathname));
    return { readyMs: ready - entry.startTime, fcpMs: fcp, scripts: [...new Set(scripts)] };
  }, mark);
}

async function main() {
  console.log(`bench:web — ${RUNS} cold loads per page; node ${process.version}`);
  buildWeb();
  const dataDir = mkdtempSync(join(tmpdir(), 'milepost-bench-web-'));
  const server = await startServer({ DATA_DIR: dataDir, SEED: 'demo', DATABASE_URL: undefined });
  const browser = await launchChromium();
  try {
    const loads: Load[] = [];
    const state = await (await signedInContext(browser, server.base, driver, 360)).storageState();
    // One warm-up load (tsx has compiled the server, the database pages are cached), then cold
    // page loads in fresh contexts, so the browser cache is empty each time.
    for (let i = 0; i <= RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, storageState: state });
      const page = await context.newPage();
      const load = await coldLoad(page, server.base, '/', 'milepost:home-ready');
      if (i > 0) loads.push(load);
      await context.close();
    }

    const scripts = [...new Set(loads.flatMap((l) => l.scripts))].sort();
    const sizes = scripts.map((s) => ({ script: s, raw: readFileSync(join(DIST, s)).length, gzip: gzipBytes(s) }));
    const totalGzip = sizes.reduce((sum, s) => sum + s.gzip, 0);
    const totalRaw = sizes.reduce((sum, s) => sum + s.raw, 0);
    const ready = stats(loads.map((l) => l.readyMs));
    const fcp = stats(loads.map((l) => l.fcpMs));

    console.log('\nDriver home (360 px, signed in): scripts fetched before the balance shows');
    for (const s of sizes) console.log(`  ${s.script.padEnd(44)} ${(s.raw / 1024).toFixed(1).padStart(7)} KB raw ${(s.gzip / 1024).toFixed(1).padStart(6)} KB gzip`);
    console.log(`  total: ${(totalRaw / 1024).toFixed(1)} KB raw, ${(totalGzip / 1024).toFixed(1)} KB gzip (budget ${JS_BUDGET_KB} KB)`);
    console.log(`  first meaningful render (balance shown): median ${ready.p50.toFixed(0)} ms, max ${ready.max.toFixed(0)} ms (budget < ${RENDER_BUDGET_MS} ms)`);
    console.log(`  first contentful paint: median ${fcp.p50.toFixed(0)} ms`);

    const uplotInDriver = sizes.some((s) => /uplot/i.test(readFileSync(join(DIST, s.script), 'utf8').slice(0, 200_000)) && /uPlot/.test(readFileSync(join(DIST, s.script), 'utf8')));

    // The console's dashboard: which scripts it needs, to show the charts are a separate chunk.
    const consoleContext = await signedInContext(browser, server.base, committee, 1280);
    const consolePage = await consoleContext.newPage();
    await consolePage.goto(`${server.base}/console`);
    await consolePage.waitForLoadState('networkidle');
    const consoleScripts = await consolePage.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.js')),
    );
    const consoleOnly = consoleScripts.filter((s) => !scripts.includes(s));
    const consoleGzip = consoleOnly.reduce((sum, s) => sum + gzipBytes(s), 0);
    console.log(`\nCommittee dashboard: ${consoleOnly.length} more scripts, ${(consoleGzip / 1024).toFixed(1)} KB gzip, loaded only there`);
    console.log(`  uPlot among the driver's scripts: ${uplotInDriver ? 'YES (budget broken)' : 'no'}`);
    await consoleContext.close();

    const jsOk = totalGzip <= JS_BUDGET_KB * 1024;
    const renderOk = ready.p50 < RENDER_BUDGET_MS;
    console.log(`\nbudgets: initial JS ${jsOk ? 'met' : 'MISSED'}, first meaningful render ${renderOk ? 'met' : 'MISSED'}, charts lazy ${uplotInDriver ? 'MISSED' : 'met'}`);
    process.exitCode = jsOk && renderOk && !uplotInDriver ? 0 : 1;
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
