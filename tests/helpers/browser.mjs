// Headless Chromium (Debian's) driven by playwright-core, against pages served by
// scripts/serve.mjs. The flags keep Chromium off this machine's closed network.
// CMBRIDGE_TEST_BROWSER=firefox gives the suites that take it (testBrowser below) Debian's
// Firefox ESR instead, driven by puppeteer-core over WebDriver BiDi; =webkit, WebKitGTK's
// MiniBrowser under xvfb, driven over plain WebDriver (webkit-driver.mjs).
import { existsSync } from 'node:fs';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { STRICT_CSP, startServer } from '../../scripts/serve.mjs';
import { startWebKit, webkitMissing } from './webkit-driver.mjs';
import { repoRoot } from '../../scripts/prerequisites.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;

export const outputDir = path.join(repoRoot, 'test-output');

// CMBRIDGE_TEST_CSP=strict serves every page under a strict Content-Security-Policy
// (serve.mjs STRICT_CSP: no 'unsafe-eval'); `npm test` runs the browser suites both ways.
export const testCsp = process.env.CMBRIDGE_TEST_CSP === 'strict' ? STRICT_CSP : null;

/**
 * The test server (over the repository, or `root`, with `mounts`, under `csp`: serve.mjs).
 * Under CMBRIDGE_TEST_CSP=strict, each page's /js/codegen.mjs is also told at load that code
 * may not be made from strings (as configureEngine({ codegen: false }) would). Without
 * that, the engine would be started by the suites' page.evaluate calls, which the
 * DevTools protocol exempts from the policy's eval rule, and the normal glue would run.
 */
function testServer({ root, mounts, csp }) {
  return startServer({ root, mounts, csp, disableCodegen: csp !== null && csp === testCsp });
}

/**
 * Starts the server (testServer) and a browser; returns { page, url, consoleErrors, close }.
 */
export async function openBrowser({ root, mounts, csp = testCsp } = {}) {
  const server = await testServer({ root, mounts, csp });
  const profile = await mkdtemp(path.join(tmpdir(), 'cmbridge-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  return session(page, server, async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  });
}

/** What openBrowser and openFirefox give: the page, the server's URL, the page's errors. */
function session(page, server, closeBrowser) {
  const consoleErrors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  return {
    page,
    url: server.url,
    consoleErrors,
    async screenshot(name) {
      await mkdir(outputDir, { recursive: true });
      await page.screenshot({ path: path.join(outputDir, `${name}.png`), fullPage: true });
    },
    async close() {
      await closeBrowser();
      await server.close();
    },
  };
}

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const firefoxMissing = existsSync(FIREFOX) ? false : `Firefox not found at ${FIREFOX} (apt-get install firefox-esr)`;

/**
 * The browser the suites that run in any engine use: Chromium, or Firefox or WebKit under
 * CMBRIDGE_TEST_BROWSER=firefox or webkit. `name` goes in test titles; `missing` is a skip
 * reason or false; `jspi`, whether the engine has JSPI (what differs between engines is
 * data like this, with its reason); `open(options)` is openBrowser, openFirefox or
 * openWebKit.
 */
export const testBrowser = {
  firefox: { name: 'Firefox', missing: firefoxMissing, jspi: true, open: (options) => openFirefox(options) },
  webkit: { name: 'WebKit', missing: webkitMissing, jspi: false, open: (options) => openWebKit(options) },
}[process.env.CMBRIDGE_TEST_BROWSER] ?? { name: 'Chromium', missing: chromiumMissing, jspi: true, open: (options) => openBrowser(options) };

/** As openBrowser, with WebKitGTK's MiniBrowser. */
export async function openWebKit({ root, mounts, csp = testCsp } = {}) {
  const server = await testServer({ root, mounts, csp });
  const { page, quit } = await startWebKit();
  return session(page, server, quit);
}

/** As openBrowser, with headless Firefox ESR (puppeteer-core, WebDriver BiDi). */
export async function openFirefox({ root, mounts, csp = testCsp } = {}) {
  const { default: puppeteer } = await import('puppeteer-core');
  const server = await testServer({ root, mounts, csp });
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX,
    headless: true,
    // Off this machine's closed network: no updates, telemetry or captive-portal probes.
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'toolkit.telemetry.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
    },
  });
  const page = await browser.newPage();
  return session(page, server, () => browser.close());
}
