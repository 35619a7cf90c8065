// What the browser tests share: command-line arguments, the check/summary
// protocol (one "ok" or "FAILED" line per check), playwright-core and
// Debian's Chromium, the page listeners that collect console errors, CSP
// violations, failed requests and HTTP errors, and screenshots.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');

// The value after `name` on the command line, else the environment
// variable `env` (when given).
export function arg(name, env) {
  const i = process.argv.indexOf(name);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  return env === undefined ? undefined : process.env[env];
}

let passed = 0;
let failed = 0;

// Records and prints one check; the detail (cut to 2000 characters) only
// on failure. Returns `cond`.
export function check(name, cond, detail) {
  if (cond) {
    passed++;
    console.log('ok     ' + name);
  } else {
    failed++;
    console.log('FAILED ' + name + (detail === undefined ? '' : ': ' + String(detail).slice(0, 2000)));
  }
  return cond;
}

// Prints "N passed, M failed (s); screenshots in DIR" and exits: 1 when a
// check failed, else 0. `t0` is a Date.now() value from the start.
export function finish(t0, artifacts) {
  console.log(`${passed} passed, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s); screenshots in ${artifacts}`);
  process.exit(failed ? 1 : 0);
}

// playwright-core's chromium; installs playwright-core from
// package-lock.json first when it is missing (as run.sh does).
export async function loadChromium() {
  if (!fs.existsSync(path.join(here, 'node_modules', 'playwright-core', 'package.json'))) {
    const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
    if (npm.status !== 0) {
      console.error('harness.mjs: npm ci failed');
      process.exit(1);
    }
  }
  return (await import('playwright-core')).chromium;
}

// Debian's Chromium ($BAOGAO_CHROMIUM, else /usr/bin/chromium), headless.
export async function launchChromium(chromium) {
  return chromium.launch({
    executablePath: process.env.BAOGAO_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    timeout: 60000,
  });
}

// A desktop-sized page (zh-CN) in a new context of `browser`, with a 15 s
// default timeout, whose console errors and warnings, page errors, failed
// requests and HTTP errors are pushed to `problems`.
export async function watchedPage(browser, problems) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()} @ ${page.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message} @ ${page.url()}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { context, page };
}

// A full-page screenshot of `page` as DIR/<name>.png.
export async function shot(page, artifacts, name) {
  await page.screenshot({ path: path.join(artifacts, name + '.png'), fullPage: true });
}
