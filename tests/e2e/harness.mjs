// Shared harness for the SegScope end-to-end suite: a tiny static server for the release bundle,
// Debian's Chromium driven by playwright-core, a recorder of every request (page and worker), and
// helpers for the upload → mapping → dashboard flow.
//
// The bundle is `SEGSCOPE_DIST` (default: <repo>/dist, resolved from this file, not the cwd).

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
export const FIXTURES = path.join(here, 'fixtures');
export const DIST = path.resolve(process.env.SEGSCOPE_DIST || path.join(REPO, 'dist'));

/** Generous: the first load compiles about 1 MB of wasm on a 2-core machine. */
export const LOAD_TIMEOUT = 90_000;
export const REPORT_TIMEOUT = 90_000;

const TYPES = {
  '.wasm': 'application/wasm',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

/**
 * Serves DIST under `prefix` ("/" or "/team/segscope/") on 127.0.0.1, a free port.
 * Only the types above are served; anything else (or outside the prefix) is a 404, recorded in
 * `notFound` so tests can assert the page never asked for a missing file.
 */
export async function startServer({ root = DIST, prefix = '/' } = {}) {
  assert.ok(fs.existsSync(path.join(root, 'index.html')), `no bundle at ${root} (set SEGSCOPE_DIST)`);
  const notFound = [];
  const served = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let pathname = decodeURIComponent(url.pathname);
    const send404 = () => {
      notFound.push(req.url);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send404();
    if (!pathname.startsWith(prefix)) return send404();
    let rel = pathname.slice(prefix.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep)) return send404();
    const type = TYPES[path.extname(file)];
    if (!type || !fs.existsSync(file) || !fs.statSync(file).isFile()) return send404();
    served.push(pathname);
    const body = fs.readFileSync(file);
    res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: origin + prefix,
    prefix,
    notFound,
    served,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A fresh context + page on the app, with every request recorded.
 *
 * `log.requests`: every request the context routed ({url, method, type, afterFile}).
 * `log.foreign`: requests to any other origin (aborted). Tests assert it stays empty.
 * `log.afterFile`: requests made after `app.fileChosen()` was called (upload / demo click).
 * `log.pageErrors`, `log.consoleErrors`: uncaught exceptions and console.error lines.
 * `log.workers`: how many workers the page has started (the first starts a helper of its own).
 */
export async function openApp(browser, server, { viewport = { width: 1280, height: 900 }, locale = 'en-US', gotoPath = '' } = {}) {
  const context = await browser.newContext({
    acceptDownloads: true,
    locale,
    colorScheme: 'light',
    viewport,
  });
  const log = { requests: [], foreign: [], afterFile: [], pageErrors: [], consoleErrors: [], finished: [], workers: 0 };
  let fileChosen = false;
  await context.route('**/*', async (route) => {
    const req = route.request();
    const url = req.url();
    const entry = { url, method: req.method(), type: req.resourceType(), afterFile: fileChosen };
    log.requests.push(entry);
    if (fileChosen) log.afterFile.push(entry);
    let sameOrigin = false;
    try { sameOrigin = new URL(url).origin === server.origin; } catch { /* not a URL */ }
    if (!sameOrigin) {
      log.foreign.push(entry);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  context.on('requestfinished', (req) => log.finished.push(req.url()));
  const page = await context.newPage();
  // Record CSP violations (init scripts are injected by the driver, not subject to the CSP).
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.effectiveDirective} blocked=${e.blockedURI} source=${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('pageerror', (err) => log.pageErrors.push(String(err && err.stack || err)));
  page.on('console', (msg) => { if (msg.type() === 'error') log.consoleErrors.push(msg.text()); });
  page.on('worker', (worker) => {
    log.workers += 1;
    worker.on('console', (msg) => { if (msg.type() === 'error') log.consoleErrors.push(`[worker] ${msg.text()}`); });
  });

  const app = {
    context,
    page,
    log,
    server,
    /** From now on, every request is a violation (the user's file is in the page). */
    fileChosen() { fileChosen = true; },
    async goto() {
      await page.goto(server.url + gotoPath, { waitUntil: 'load' });
      await page.locator('[data-testid=upload-input]').waitFor({ state: 'attached', timeout: LOAD_TIMEOUT });
      // The worker starts with the page; a user needs seconds to pick a file, the test does not:
      // wait for its bundle so that no start-up request is counted as "after the file".
      await app.workerLoaded();
    },
    /** Waits until the worker's wasm was fetched, and its helper's (the first worker starts a
     * helper that reads half of a large file), so the page can go offline. */
    async workerLoaded() {
      const deadline = Date.now() + LOAD_TIMEOUT;
      while (log.finished.filter((u) => u.endsWith('/worker_bg.wasm')).length < 2) {
        if (Date.now() > deadline) throw new Error(`worker wasm never loaded; requests: ${JSON.stringify(log.requests.map((r) => r.url))}`);
        await page.waitForTimeout(100);
      }
    },
    /** Chooses a file: a path, or {name, mimeType, buffer}. Waits for the mapping screen. */
    async upload(file, { expectMapping = true } = {}) {
      fileChosen = true;
      await page.locator('[data-testid=upload-input]').setInputFiles(file);
      if (expectMapping) await page.locator('[data-testid=mapping]').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
    },
    async confirm() {
      await page.locator('[data-testid=mapping-confirm]').click();
      await app.reportReady();
    },
    async reportReady() {
      await page.locator('[data-testid=report-ready]').waitFor({ state: 'attached', timeout: REPORT_TIMEOUT });
    },
    /** Clicks "Try the demo data" (the file choice) and analyses it with the detected mapping. */
    async analyseDemo() {
      fileChosen = true;
      await page.locator('[data-testid=demo-button]').click();
      await page.locator('[data-testid=mapping]').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
      await app.confirm();
    },
    /** Uploads and analyses with the detected mapping. */
    async analyse(file) {
      await app.upload(file);
      await app.confirm();
    },
    /**
     * Opens a page of the analysed file through the navigation (`overview`, `customers`,
     * `predictions`, `segments`) and waits until it shows. A no-op on the page already shown.
     */
    async go(route) {
      const link = page.locator(`[data-testid=nav-${route}]`);
      await link.waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
      if ((await link.getAttribute('aria-current')) !== 'page') await link.click();
      await until(page, async () => (await link.getAttribute('aria-current')) === 'page' || null, `page ${route}`);
      const marker = PAGE_MARKERS[route];
      if (marker) await page.locator(`[data-testid=${marker}]`).first().waitFor({ state: 'attached', timeout: REPORT_TIMEOUT });
    },
    async value(testid) {
      const route = pageOf(testid);
      if (route) await app.go(route);
      return page.locator(`[data-testid=${testid}]`).first().getAttribute('data-value');
    },
    async number(testid) {
      const v = await app.value(testid);
      assert.match(v ?? '', /^-?\d+(\.\d+)?$/, `${testid} data-value is a plain number: ${v}`);
      return Number(v);
    },
    async roles() {
      return page.locator('[data-testid^=role-select-]').evaluateAll((els) =>
        els.map((e) => e.getAttribute('data-role') || ''));
    },
    /** Rows of the segment table: [{segment, customers, revenue}]. */
    async segmentRows() {
      await app.go('overview');
      return page.locator('[data-testid=segment-table] tbody tr').evaluateAll((rows) => rows.map((r) => ({
        segment: r.getAttribute('data-segment'),
        customers: Number(r.getAttribute('data-customers')),
        revenue: Number(r.getAttribute('data-revenue')),
        label: r.querySelector('td')?.textContent.trim(),
      })));
    },
    /** Customer ids on the current table page, in order. */
    async customerIds() {
      await app.go('customers');
      return page.locator('[data-testid=customer-table] tbody tr').evaluateAll((rows) =>
        rows.map((r) => r.getAttribute('data-customer')));
    },
    async errorText() {
      const panel = page.locator('[data-testid=error-message]');
      await panel.waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
      return (await panel.textContent()).trim();
    },
    /** Clicks export and returns {name, text} of the download, BOM stripped (and `bom` said). */
    async exportCsv() {
      await app.go('customers');
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: REPORT_TIMEOUT }),
        page.locator('[data-testid=export-button]').click(),
      ]);
      const file = await download.path();
      let text = fs.readFileSync(file, 'utf8');
      const bom = text.charCodeAt(0) === 0xfeff;
      if (bom) text = text.slice(1);
      return { name: download.suggestedFilename(), text, bom };
    },
    /** The checks every test ends with. */
    async assertClean({ allowAfterFile = [], strictCsp = false } = {}) {
      assert.deepEqual(log.foreign, [], 'no request to another origin');
      assert.deepEqual(log.pageErrors, [], 'no uncaught page error');
      const unexpected = log.afterFile.filter((r) => !allowAfterFile.some((ok) => ok(r)));
      assert.deepEqual(unexpected, [], 'no request after the file was chosen');
      assert.deepEqual(server.notFound, [], 'the page never asked for a missing file');
      const csp = await app.cspViolations();
      // KNOWN PRODUCT BUG (reported): plotters' web text measurement sets a `style` attribute,
      // which `style-src 'self'` blocks. Only the dedicated test in 01-load is strict about it.
      const relevant = strictCsp ? csp : csp.filter((v) => !isPlottersStyleViolation(v));
      assert.deepEqual(relevant, [], 'no CSP violation');
      const consoleErrors = strictCsp ? log.consoleErrors : log.consoleErrors.filter((m) => !/Applying inline style violates/.test(m));
      assert.deepEqual(consoleErrors, [], 'no console error');
    },
    async cspViolations() {
      return page.evaluate(() => window.__cspViolations || []).catch(() => []);
    },
    close: () => context.close(),
  };
  return app;
}

/** A test id that only one page shows, and that page (figures read by `app.value`). */
const PAGE_MARKERS = { overview: 'quality-report', customers: 'customers', predictions: 'predictions', segments: 'clusters', baskets: 'baskets', lifecycle: 'cohorts' };
export function pageOf(testid) {
  if (/^(kpi-(customers|orders|revenue|aov|repeat-rate)|q-|pareto|segment-table|segment-grid|grid-|drop-reason|dedupe-toggle|cap-outliers)/.test(testid)) return 'overview';
  if (/^(customer-count|customer-table|customer-search|segment-filter|page-(next|prev)|export-button|preset-|cell-|tag-|tags-|profile)/.test(testid)) return 'customers';
  if (/^(kpi-(mean-alive|total-clv|expected-purchases|high-risk|purchase-chance)|churn-rule|model-table|top-clv|validate-)/.test(testid)) return 'predictions';
  if (/^(cluster-|segmentation-|attributes-|transform-)/.test(testid)) return 'segments';
  if (/^(kpi-(baskets|items|mean-size|median-size|single-share|rules|significant)|baskets-|rules-|recs-|regions-)/.test(testid)) return 'baskets';
  return null;
}

/** The violation plotters' text measurement causes (style attribute set from app wasm glue). */
export function isPlottersStyleViolation(v) {
  return /^style-src-attr blocked=inline source=.*\/app-[0-9a-f]+\.js:/.test(v);
}

/** Minimal CSV split (the suite's files have no quoted commas unless said). */
export function csvRows(text) {
  return text.split(/\r?\n/).filter((l) => l.length > 0).map((l) => l.split(','));
}

/** Polls `fn` until it returns a truthy value. */
export async function until(page, fn, what, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(50);
  }
}
