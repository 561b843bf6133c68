// 16. Baskets on the demo: the rules with their summary checked against a count made here from
// the demo file; the three rule charts drawn; the rule table filtered, searched and paged in the
// worker; "bought A, not B" opening the customer table with exactly those customers; the rules
// export; a missing category column explained in words without losing the rules;
// recommendations with their evaluation and export; regional preferences; Chinese; zero requests
// after the file was chosen.

import fs from 'node:fs';
import path from 'node:path';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp, until, csvRows, REPO, REPORT_TIMEOUT } from './harness.mjs';

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

/** The demo's baskets, counted here: purchase orders (net > 0, or 0 without a return line) with
 * the distinct products of their non-negative lines. */
function demoBaskets() {
  const rows = csvRows(fs.readFileSync(path.join(REPO, 'public/demo/transactions.csv'), 'utf8'));
  const header = rows.shift();
  const col = (name) => header.indexOf(name);
  const [c, o, a, p] = ['customer_id', 'order_id', 'amount', 'product'].map(col);
  const orders = new Map();
  for (const r of rows) {
    const key = `${r[c]}\u0000${r[o]}`;
    const order = orders.get(key) || { customer: r[c], net: 0, returns: false, items: new Set() };
    const amount = Number(r[a]);
    order.net += amount;
    if (amount < 0) order.returns = true;
    else if (r[p]) order.items.add(r[p]);
    orders.set(key, order);
  }
  return [...orders.values()].filter((x) => (x.net > 0 || (x.net === 0 && !x.returns)) && x.items.size > 0);
}

async function download(page, testid) {
  const [d] = await Promise.all([
    page.waitForEvent('download', { timeout: REPORT_TIMEOUT }),
    page.locator(`[data-testid=${testid}]`).click(),
  ]);
  let text = fs.readFileSync(await d.path(), 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { name: d.suggestedFilename(), text };
}

async function idle(page) {
  await until(page, async () => (await page.locator('[data-testid=progress]').count()) === 0 || null, 'job done', REPORT_TIMEOUT);
}

test('baskets: rules, charts, table, cross-sell list, exports, recommendations, regions', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.analyseDemo();
    await app.go('baskets');
    await page.locator('[data-testid=baskets-run]').click();
    await page.locator('[data-testid=kpi-baskets]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await idle(page);

    // The summary equals a count made here.
    const baskets = demoBaskets();
    assert.equal(await app.number('kpi-baskets'), baskets.length, 'baskets');
    const items = new Set(baskets.flatMap((b) => [...b.items]));
    assert.equal(await app.number('kpi-items'), items.size, 'distinct items');
    const sizes = baskets.map((b) => b.items.size);
    const mean = sizes.reduce((x, y) => x + y, 0) / sizes.length;
    assert.ok(Math.abs(await app.number('kpi-mean-size') - mean) < 1e-4, 'mean basket size');
    const single = sizes.filter((s) => s === 1).length / sizes.length;
    assert.ok(Math.abs(await app.number('kpi-single-share') - single) < 1e-4, 'single-item share');
    const rules = await app.number('kpi-rules');
    assert.ok(rules > 0, `${rules} rules`);

    // Each rule's support and confidence agree with the baskets counted here.
    const first = page.locator('[data-testid=rules-table] tbody tr').first();
    const [left, right] = (await first.getAttribute('data-rule')).split(' => ');
    const has = (b, side) => side.split(' & ').every((i) => b.items.has(i));
    const both = baskets.filter((b) => has(b, left) && has(b, right)).length;
    const leftCount = baskets.filter((b) => has(b, left)).length;
    const support = Number(await first.locator('td').nth(3).getAttribute('data-value'));
    const confidence = Number(await first.locator('td').nth(4).getAttribute('data-value'));
    assert.ok(Math.abs(support - both / baskets.length) < 1e-6, `support of ${left} => ${right}`);
    assert.ok(Math.abs(confidence - both / leftCount) < 1e-6, `confidence of ${left} => ${right}`);

    // Three charts drawn, with a hover readout on the scatter.
    for (const name of ['baskets-scatter', 'baskets-heatmap', 'baskets-items']) {
      const fig = page.locator(`[data-testid=chart-${name}]`);
      await fig.scrollIntoViewIfNeeded();
      await until(page, async () => Number(await fig.getAttribute('data-drawn')) > 0 || null, `${name} drawn`);
    }

    // The table: search, filter and paging answered by the worker.
    const total = async () => Number(await page.locator('[data-testid=rules-showing]').getAttribute('data-total'));
    assert.equal(await total(), rules);
    await page.locator('[data-testid=rules-search]').fill(left.split(' & ')[0]);
    await page.locator('[data-testid=rules-search]').dispatchEvent('change');
    await until(page, async () => (await total()) < rules || null, 'search narrows the rules');
    const rows = await page.locator('[data-testid=rules-table] tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-rule')));
    assert.ok(rows.every((r) => r.includes(left.split(' & ')[0])), 'every row names the searched item');
    await page.locator('[data-testid=rules-search]').fill('');
    await page.locator('[data-testid=rules-search]').dispatchEvent('change');
    await until(page, async () => (await total()) === rules || null, 'all rules again');
    if (rules > 25) {
      await page.locator('[data-testid=rules-next]').click();
      await until(page, async () => /^Rules 26/.test(await page.locator('[data-testid=rules-showing]').textContent()) || null, 'second page');
      await page.locator('[data-testid=rules-prev]').click();
      await idle(page);
    }

    // The rules export: one row per rule, the documented columns.
    const rulesCsv = await download(page, 'export-rules');
    assert.match(rulesCsv.name, /rules.*\.csv$/);
    const lines = csvRows(rulesCsv.text);
    assert.deepEqual(lines[0].slice(0, 12), ['antecedent', 'consequent', 'antecedent_support', 'consequent_support', 'count', 'support', 'confidence', 'lift', 'leverage', 'conviction', 'p_value', 'p_value_adjusted']);
    assert.equal(lines.length - 1, rules);

    // The category level on a file without categories: a message, the rules stay.
    await page.locator('[data-testid=baskets-level]').selectOption('category');
    await page.locator('[data-testid=baskets-run]').click();
    assert.match(await app.errorText(), /no category column/);
    assert.equal(await app.number('kpi-rules'), rules, 'the rules on screen stay');
    await page.locator('[data-testid=baskets-level]').selectOption('product');

    // An emptied support field: the setting is named, the page does not wait forever.
    await page.locator('[data-testid=baskets-support]').fill('');
    await page.locator('[data-testid=baskets-support]').dispatchEvent('change');
    await page.locator('[data-testid=baskets-run]').click();
    assert.match(await app.errorText(), /min_support/);
    await page.locator('[data-testid=baskets-support]').fill('1');
    await page.locator('[data-testid=baskets-support]').dispatchEvent('change');
    assert.equal(await app.number('kpi-rules'), rules, 'the rules on screen stay');

    // "Bought A, not B": the customer table with exactly those customers.
    const buyers = (side) => new Set(baskets.filter((b) => has(b, side)).map((b) => b.customer));
    const a = buyers(left);
    const b = buyers(right);
    const expected = [...a].filter((x) => !b.has(x)).length;
    await page.locator('[data-testid=rules-table] tbody tr').first().locator('[data-testid=rule-target]').click();
    await page.locator('[data-testid=bought-filter]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await until(page, async () => Number(await page.locator('[data-testid=customer-count]').getAttribute('data-value')) === expected || null,
      `${expected} customers bought ${left} and not ${right}`);
    await page.locator('[data-testid=bought-filter-clear]').click();
    await until(page, async () => (await page.locator('[data-testid=bought-filter]').count()) === 0 || null, 'filter cleared');

    // Recommendations with their evaluation, and their export.
    await app.go('baskets');
    await page.locator('[data-testid=recs-run]').click();
    await page.locator('[data-testid=recs-evaluation]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await idle(page);
    const verdict = page.locator('[data-testid=recs-verdict]');
    assert.ok(['true', 'false'].includes(await verdict.getAttribute('data-beats')));
    const hit = Number(await page.locator('[data-testid=recs-model]').getAttribute('data-hit-rate'));
    assert.ok(hit >= 0 && hit <= 1, `hit rate ${hit}`);
    const fig = page.locator('[data-testid=chart-baskets-evaluation]');
    await fig.scrollIntoViewIfNeeded();
    await until(page, async () => Number(await fig.getAttribute('data-drawn')) > 0 || null, 'evaluation chart drawn');
    const recs = await download(page, 'export-recommendations');
    const recRows = csvRows(recs.text);
    assert.deepEqual(recRows[0].slice(0, 5), ['customer_id', 'rank', 'item', 'score', 'reason']);
    const customers = new Set(baskets.map((x) => x.customer));
    assert.equal(new Set(recRows.slice(1).map((r) => r[0])).size, customers.size, 'every customer with a basket');

    // Regional preferences.
    await page.locator('[data-testid=regions-run]').click();
    await page.locator('[data-testid=regions-table]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await idle(page);
    const regions = await page.locator('[data-testid=regions-table] tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-group')));
    const header = csvRows(fs.readFileSync(path.join(REPO, 'public/demo/transactions.csv'), 'utf8'))[0];
    const ri = header.indexOf('region');
    const demoRegions = new Set(csvRows(fs.readFileSync(path.join(REPO, 'public/demo/transactions.csv'), 'utf8')).slice(1).map((r) => r[ri]));
    assert.deepEqual(regions, [...demoRegions].sort(), 'one row per region, by name');

    // Chinese.
    await page.locator('[data-testid=lang-toggle]').click();
    await until(page, async () => /关联分析/.test(await page.locator('[data-testid=baskets] h2').textContent()) || null, 'Chinese title');
    await page.locator('[data-testid=lang-toggle]').click();

    // The demo's two files are the only requests after the choice (the demo is the file).
    await app.assertClean({ allowAfterFile: [(r) => r.url === server.url + 'demo/transactions.csv' || r.url === server.url + 'demo/customers.csv' || r.url === server.url + 'demo/campaign.csv'] });
  } finally {
    await app.close();
  }
});
