#!/usr/bin/env node
// In-browser timing of the predictions: loads FILE in headless Chromium (the release bundle in
// dist/), runs the predictions N times and prints the fit times of each model (measured in the
// worker with performance clocks) and the whole request (fit + scoring + report).
//
//   node scripts/bench-predict.mjs --csv /tmp/bench-data/tx_1m.csv [--runs 3]
import { startServer, launchBrowser, openApp, until } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const get = (flag, fallback) => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : fallback; };
const csv = get('--csv');
const runs = Number(get('--runs', '3'));
if (!csv) { console.error('usage: bench-predict.mjs --csv FILE [--runs N]'); process.exit(2); }

const browser = await launchBrowser();
const server = await startServer();
const app = await openApp(browser, server);
try {
  await app.goto();
  await app.analyse(csv);
  const { page } = app;
  await app.go('predictions'); // the predictions have a page of their own
  for (let run = 1; run <= runs; run++) {
    if (run > 1) await page.locator('[data-testid=predict-horizon]').fill(String(180 + run));
    if (run > 1) await page.locator('[data-testid=predict-horizon]').dispatchEvent('change');
    const before = await page.locator('[data-testid=predict-as-of]').textContent().catch(() => '');
    const t0 = Date.now();
    await page.locator('[data-testid=predict-run]').click();
    await until(page, async () => {
      const now = await page.locator('[data-testid=predict-as-of]').textContent().catch(() => '');
      return now && now !== before && (await page.locator('[data-testid=model-table] tbody tr').count()) === 3 ? now : null;
    }, 'predictions', 300_000);
    const wall = Date.now() - t0;
    const fits = await page.locator('[data-testid=model-table] tbody tr').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-model')} ${r.querySelector('td:last-child').textContent}`));
    const asOf = await page.locator('[data-testid=predict-as-of]').textContent();
    console.log(JSON.stringify({ run, click_to_report_ms: wall, fits, worker: asOf }));
  }
} finally {
  await app.close();
  await browser.close();
  await server.close();
}
