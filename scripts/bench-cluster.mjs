#!/usr/bin/env node
// In-browser timing of a segmentation: loads FILE in headless Chromium (the release bundle in
// dist/), runs "Find segments" (RFM features, auto k: the k = 2..10 sweep, the final fit,
// stability, profiles) N times with different seeds and prints the worker's per-stage times.
//
//   node scripts/bench-cluster.mjs --csv /tmp/bench-data/tx_1m.csv [--runs 2]
import { startServer, launchBrowser, openApp, until } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const get = (flag, fallback) => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : fallback; };
const csv = get('--csv');
const runs = Number(get('--runs', '2'));
if (!csv) { console.error('usage: bench-cluster.mjs --csv FILE [--runs N]'); process.exit(2); }

const browser = await launchBrowser();
const server = await startServer();
const app = await openApp(browser, server);
try {
  await app.goto();
  await app.analyse(csv);
  const { page } = app;
  const customers = await app.number('kpi-customers');
  await app.go('segments'); // the segments have a page of their own
  for (let run = 1; run <= runs; run++) {
    await page.locator('[data-testid=cluster-seed]').fill(String(41 + run));
    await page.locator('[data-testid=cluster-seed]').dispatchEvent('change');
    const before = await page.locator('[data-testid=cluster-results]').getAttribute('data-timings').catch(() => null);
    const t0 = Date.now();
    await page.locator('[data-testid=cluster-run]').click();
    const timings = await until(page, async () => {
      const now = await page.locator('[data-testid=cluster-results]').getAttribute('data-timings').catch(() => null);
      return now && now !== before ? now : null;
    }, 'segmentation', 600_000);
    const wall = Date.now() - t0;
    const k = await page.locator('[data-testid=cluster-results]').getAttribute('data-k');
    console.log(JSON.stringify({ run, customers, k: Number(k), click_to_report_ms: wall, worker_ms: timings }));
  }
} finally {
  await app.close();
  await browser.close();
  await server.close();
}
