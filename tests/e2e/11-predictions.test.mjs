// 11. Predictions on the demo data: the three models fitted in the worker, the model table,
// headline figures and charts; "high value, probably churning" in two clicks; the scores export;
// a bad setting explained without losing the report; the calibration/holdout validation.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp, until, csvRows, REPORT_TIMEOUT } from './harness.mjs';

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

async function drawnPixels(page, name) {
  const canvas = page.locator(`[data-testid=chart-${name}] canvas`);
  await canvas.scrollIntoViewIfNeeded();
  return canvas.evaluate((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3];
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    return { share: (data.length / 4 - Math.max(...counts.values())) / (data.length / 4), colours: counts.size };
  });
}

test('predictions: models, figures, charts, at-risk preset, scores export, validation', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    app.fileChosen();
    await page.locator('[data-testid=demo-button]').click();
    await page.locator('[data-testid=mapping]').waitFor({ state: 'visible', timeout: 60_000 });
    await app.confirm();
    const customers = await app.number('kpi-customers');

    // Click 1 (on the Predictions page): run the predictions.
    await app.go('predictions');
    await page.locator('[data-testid=predict-run]').click();
    const table = page.locator('[data-testid=model-table] tbody tr');
    await until(page, async () => (await table.count()) === 3 ? true : null, 'three fitted models', REPORT_TIMEOUT);
    assert.deepEqual(await table.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model'))), ['BG/NBD', 'Pareto/NBD', 'Gamma-Gamma']);
    const lls = await page.locator('[data-testid=model-table] tbody tr td:nth-child(3)').evaluateAll((tds) => tds.map((t) => Number(t.getAttribute('data-value'))));
    for (const ll of lls) assert.ok(Number.isFinite(ll) && ll < 0, `log-likelihood ${ll}`);
    const params = await page.locator('[data-testid=model-table] tbody tr[data-model="BG/NBD"] td.params').textContent();
    // Each estimate with its standard error (from the observed information).
    assert.match(params, /^r = [\d.]+ ± [\d.]+ · alpha = [\d.]+ ± [\d.]+ · a = [\d.]+ ± [\d.]+ · b = [\d.]+ ± [\d.]+$/);
    const pareto = await page.locator('[data-testid=model-table] tbody tr[data-model="Pareto/NBD"] td.params').textContent();
    assert.match(pareto, /^r = [\d.]+ ± [\d.]+ · alpha = [\d.]+ ± [\d.]+ · s = [\d.]+ ± [\d.]+ · beta = [\d.]+ ± [\d.]+$/);
    const alive = await app.number('kpi-mean-alive');
    assert.ok(alive > 0 && alive < 1, `mean probability alive ${alive}`);
    assert.ok(await app.number('kpi-total-clv') > 0, 'total CLV');
    assert.ok(await app.number('kpi-expected-purchases') > 0, 'expected purchases');
    const high = await app.number('kpi-high-risk');
    assert.ok(high > 0 && high < customers, `high-risk customers ${high}`);
    // Churn risk is read from the chance of a purchase in the horizon, and the page says so.
    const chance = await app.number('kpi-purchase-chance');
    assert.ok(chance > 0 && chance < alive, `mean chance of a purchase ${chance} (alive ${alive})`);
    assert.match(await page.locator('[data-testid=churn-rule]').textContent(), /chance of at least one purchase in the next 180 days: high below 30/);
    assert.equal(await page.locator('[data-testid=top-clv] tbody tr').count(), 20);
    for (const name of ['p-alive', 'expected-purchases', 'clv-distribution', 'churn-by-segment']) {
      const s = await drawnPixels(page, name);
      assert.ok(s.share > 0.01 && s.colours > 10, `${name} drawn: ${JSON.stringify(s)}`);
    }
    // The customer table gained the prediction columns.
    await app.go('customers');
    const pAlive = await page.locator('[data-testid=cell-probability_alive]').first().getAttribute('data-value');
    assert.ok(Number(pAlive) >= 0 && Number(pAlive) <= 1);
    // The customer page shows the 90 % intervals of P(alive) and CLV around the figures.
    await page.locator('[data-testid=open-profile]').first().click();
    const interval = page.locator('[data-testid=interval-probability_alive]');
    await interval.waitFor({ state: 'visible' });
    const [lowAlive, highAlive] = [Number(await interval.getAttribute('data-low')), Number(await interval.getAttribute('data-high'))];
    assert.ok(lowAlive >= 0 && lowAlive <= Number(pAlive) + 1e-4 && Number(pAlive) <= highAlive + 1e-4 && highAlive <= 1, `${lowAlive} ≤ ${pAlive} ≤ ${highAlive}`);
    assert.match(await interval.textContent(), /90 % interval/);
    assert.equal(await page.locator('[data-testid=interval-clv]').count(), 1);

    // Click 2: "high value, probably churning" = the high-risk band, highest CLV first.
    await page.locator('[data-testid=preset-at-risk-value]').click();
    await until(page, async () => Number(await app.value('customer-count')) === high ? true : null, 'high-risk count');
    const risks = await page.locator('[data-testid=cell-churn_risk]').evaluateAll((tds) => tds.map((t) => t.getAttribute('data-value')));
    assert.ok(risks.length > 0 && risks.every((r) => r === 'high'), 'all rows at high risk');
    const clvs = await page.locator('[data-testid=cell-clv]').evaluateAll((tds) => tds.map((t) => Number(t.getAttribute('data-value'))));
    for (let i = 1; i < clvs.length; i++) assert.ok(clvs[i - 1] >= clvs[i], 'CLV descending');
    // The band filter the predictions registered shows the preset's band, and the CLV header its
    // sort (registered columns sort and filter like the table's own).
    assert.equal(await page.locator('[data-testid=filter-churn_risk]').inputValue(), 'high');
    assert.match(await page.locator('[data-testid=customer-table] th[data-sort=clv]').textContent(), /▼/);

    // The target list export carries the prediction columns.
    const target = await app.exportCsv();
    const rows = csvRows(target.text);
    assert.equal(rows[0][14], 'purchase_chance_180d');
    assert.equal(rows[0][16], 'next_purchase_date');
    assert.equal(rows.length - 1, high);
    assert.ok(rows.slice(1).every((r) => r[15] === 'high'));
    assert.ok(rows.slice(1).every((r) => Number(r[14]) < 0.3), 'high risk = under a 30 % chance of a purchase');

    // The scores export: every scored customer.
    await app.go('predictions');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: REPORT_TIMEOUT }),
      page.locator('[data-testid=export-scores]').click(),
    ]);
    assert.match(download.suggestedFilename(), /-scores\.csv$/);
    const scores = csvRows((await import('node:fs')).readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, ''));
    assert.equal(scores[0][0], 'customer_id');
    assert.equal(scores[0][5], 'probability_alive');
    assert.ok(scores.length - 1 >= customers - 5 && scores.length - 1 <= customers, `${scores.length - 1} scored customers`);

    // A bad setting is explained; the report on screen stays.
    await page.locator('[data-testid=predict-horizon]').fill('0');
    await page.locator('[data-testid=predict-horizon]').dispatchEvent('change');
    await page.locator('[data-testid=predict-run]').click();
    assert.match(await app.errorText(), /horizon must be between 1 and 3650 days \(got 0\)/);
    assert.equal(await page.locator('[data-testid=model-table] tbody tr').count(), 3, 'the previous report stays');
    await page.locator('[data-testid=predict-horizon]').fill('90');
    await page.locator('[data-testid=predict-horizon]').dispatchEvent('change');

    // Validation on a holdout period (default split: two thirds into the data).
    await page.locator('[data-testid=validate-run]').click();
    await page.locator('[data-testid=validate-summary]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    assert.ok(Number(await page.locator('[data-testid=validate-summary]').getAttribute('data-actual')) > 0);
    assert.equal(await page.locator('[data-testid=validate-table] tbody tr').count(), 8, 'frequency 0..6 and 7+');
    assert.equal(await page.locator('[data-testid=validate-error]').count(), 2, 'an error line per purchase model');
    for (const name of ['holdout-frequency', 'holdout-cumulative']) {
      const s = await drawnPixels(page, name);
      assert.ok(s.share > 0.01, `${name} drawn`);
    }

    // Chinese: the section follows the language switch.
    await page.locator('[data-testid=lang-toggle]').click();
    await until(page, async () => /模型/.test(await page.locator('[data-testid=model-table] thead').textContent()) || null, 'Chinese model table');

    await app.assertClean({ allowAfterFile: [(r) => r.url === server.url + 'demo/transactions.csv' || r.url === server.url + 'demo/customers.csv' || r.url === server.url + 'demo/campaign.csv'] });
  } finally {
    await app.close();
  }
});

// Regression ("Numbers you can trust"): a 4-month file gave a mean probability alive of 98.5 %
// with no word of doubt. Now the predictions say dropout is hardly identified, and the churn
// filter and the at-risk preset carry the caveat.
test('a file too short to identify dropout says so beside the churn filter and the preset', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    const lines = ['customer_id,date,amount'];
    for (let c = 0; c < 300; c++) {
      const gap = 30 + (c % 31);
      for (let d = c % 20; d <= 120; d += gap) {
        const date = new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
        lines.push(`C${c},${date},${20 + (c % 7)}`);
      }
    }
    await app.analyse({ name: 'four-months.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
    await app.go('predictions');
    await page.locator('[data-testid=predict-run]').click();
    await page.locator('[data-testid=model-table]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    assert.match(await page.locator('[data-testid=predictions]').textContent(), /Dropout is hardly identified in this file/);
    await app.go('customers');
    await page.locator('[data-testid=dropout-caveat]').waitFor({ state: 'visible' });
    assert.match(await page.locator('[data-testid=dropout-caveat]').textContent(), /Churn risk may be optimistic/);
    await app.assertClean();
  } finally {
    await app.close();
  }
});
