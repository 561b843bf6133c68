#!/usr/bin/env node
// In-browser timing of the lifecycle analyses: loads FILE in headless Chromium (the release bundle
// in dist/), then N times forms the cohorts (monthly, then weekly split by region) and finds who
// is due to buy again, then assigns the membership tiers, learns the send times and forecasts
// (monthly, then weekly), printing one JSON line each: click → result on screen (Node's clock) and
// the worker's own milliseconds.
//
//   node scripts/bench-lifecycle.mjs --csv /tmp/bench-data/tx_1m.csv [--runs 3]
import { startServer, launchBrowser, openApp, until } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const get = (flag, fallback) => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : fallback; };
const csv = get('--csv');
const runs = Number(get('--runs', '3'));
if (!csv) { console.error('usage: bench-lifecycle.mjs --csv FILE [--runs N]'); process.exit(2); }

const browser = await launchBrowser();
const server = await startServer();
const app = await openApp(browser, server);
try {
  await app.goto();
  await app.analyse(csv);
  const { page } = app;
  await app.go('lifecycle');
  for (let run = 1; run <= runs; run++) {
    for (const [period, split] of [['month', 'none'], ['week', 'region']]) {
      await page.locator('[data-testid=cohorts-period]').selectOption(period);
      await page.locator('[data-testid=cohorts-split]').selectOption(split);
      const before = await page.locator('[data-testid=cohorts-summary]').textContent().catch(() => null);
      const t0 = Date.now();
      await page.locator('[data-testid=cohorts-run]').click();
      await until(page, async () => {
        const now = await page.locator('[data-testid=cohorts-summary]').textContent().catch(() => null);
        return now && now !== before && (await page.locator('[data-testid=progress]').count()) === 0 ? now : null;
      }, 'cohorts', 600_000);
      const worker = Number(await page.locator('[data-testid=cohorts-summary]').getAttribute('data-elapsed'));
      console.log(JSON.stringify({ run, period, split, click_to_table_ms: Date.now() - t0, worker_ms: worker }));
    }
    // Repurchase cycles and the due list.
    const before = await page.locator('[data-testid=repurchase-summary]').getAttribute('data-elapsed').catch(() => null);
    const t0 = Date.now();
    await page.locator('[data-testid=repurchase-run]').click();
    const worker = await until(page, async () => {
      const e = await page.locator('[data-testid=repurchase-summary]').getAttribute('data-elapsed').catch(() => null);
      return e && e !== before && (await page.locator('[data-testid=progress]').count()) === 0 ? e : null;
    }, 'due list', 600_000);
    console.log(JSON.stringify({ run, analysis: 'repurchase', click_to_list_ms: Date.now() - t0, worker_ms: Number(worker) }));
    // Tiers, send times, the forecast by month and by week: click → summary on screen.
    for (const [analysis, button, summary, setup] of [
      ['tiers', 'tiers-run', 'tiers-summary', null],
      ['sendtime', 'sendtime-run', 'sendtime-summary', null],
      ['forecast-month', 'forecast-run', 'forecast-summary', 'month'],
      ['forecast-week', 'forecast-run', 'forecast-summary', 'week'],
    ]) {
      if (setup) await page.locator('[data-testid=forecast-period]').selectOption(setup);
      const before = await page.locator(`[data-testid=${summary}]`).getAttribute('data-elapsed').catch(() => null);
      const t0 = Date.now();
      await page.locator(`[data-testid=${button}]`).click();
      const worker = await until(page, async () => {
        const e = await page.locator(`[data-testid=${summary}]`).getAttribute('data-elapsed').catch(() => null);
        return e && e !== before && (await page.locator('[data-testid=progress]').count()) === 0 ? e : null;
      }, analysis, 600_000);
      console.log(JSON.stringify({ run, analysis, click_to_screen_ms: Date.now() - t0, worker_ms: Number(worker) }));
    }
  }
} finally {
  await app.close();
  await browser.close();
  await server.close();
}
