#!/usr/bin/env node
// In-browser timing of the baskets analyses: loads FILE in headless Chromium (the release bundle
// in dist/, or SEGSCOPE_DIST), then, N times: rules at --support (share) and --confidence, then
// recommendations (10 per customer) with the hidden-basket evaluation. Prints one JSON line per
// run: the time from choosing the file to the drawn dashboard, from "Find rules" to the rules on
// screen, and from "Recommend" to the evaluation on screen (Node's clock), besides the worker's
// own figures.
//
//   node scripts/bench-baskets.mjs --csv /tmp/bench-data/tx_1m.csv [--runs 3] [--support 0.002]
//        [--confidence 0.1] [--no-recommend]
import { startServer, launchBrowser, openApp, until } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const get = (flag, fallback) => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : fallback; };
const csv = get('--csv');
const runs = Number(get('--runs', '3'));
const support = Number(get('--support', '0.002'));
const confidence = Number(get('--confidence', '0.1'));
const recommend = !args.includes('--no-recommend');
if (!csv) { console.error('usage: bench-baskets.mjs --csv FILE [--runs N] [--support R] [--confidence R] [--no-recommend]'); process.exit(2); }

const browser = await launchBrowser();
const server = await startServer();
try {
  for (let run = 1; run <= runs; run++) {
    const app = await openApp(browser, server);
    try {
      await app.goto();
      const { page } = app;
      const t0 = Date.now();
      await app.upload(csv);
      await app.confirm();
      const dashboard = Date.now() - t0;
      await app.go('baskets');
      await page.locator('[data-testid=baskets-support]').fill(String(support * 100));
      await page.locator('[data-testid=baskets-support]').dispatchEvent('change');
      await page.locator('[data-testid=baskets-confidence]').fill(String(confidence * 100));
      await page.locator('[data-testid=baskets-confidence]').dispatchEvent('change');
      const t1 = Date.now();
      await page.locator('[data-testid=baskets-run]').click();
      await page.locator('[data-testid=kpi-rules]').waitFor({ state: 'visible', timeout: 600_000 });
      const rulesMs = Date.now() - t1;
      const mined = page.locator('[data-testid=baskets-mined]');
      const out = {
        run,
        file_to_dashboard_ms: dashboard,
        click_to_rules_ms: rulesMs,
        file_to_rules_ms: dashboard + rulesMs,
        rules: Number(await page.locator('[data-testid=kpi-rules]').getAttribute('data-value')),
        baskets: Number(await page.locator('[data-testid=kpi-baskets]').getAttribute('data-value')),
        worker_rules_ms: Number(await mined.getAttribute('data-elapsed')),
        worker_mining_ms: Number(await mined.getAttribute('data-mine-ms')),
      };
      if (recommend) {
        const t2 = Date.now();
        await page.locator('[data-testid=recs-run]').click();
        await page.locator('[data-testid=recs-evaluation]').waitFor({ state: 'visible', timeout: 600_000 });
        await until(page, async () => (await page.locator('[data-testid=progress]').count()) === 0 || null, 'idle', 600_000);
        out.click_to_evaluation_ms = Date.now() - t2;
        const recs = page.locator('[data-testid=recs-customers]');
        out.customers = Number(await recs.getAttribute('data-customers'));
        out.worker_recommend_ms = Number(await recs.getAttribute('data-elapsed'));
      }
      console.log(JSON.stringify(out));
    } finally {
      await app.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
