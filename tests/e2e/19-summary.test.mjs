// 19. Per-customer summary files as input (issue 16).
//
// fixtures/summary.csv is `segscope summarize fixtures/small.csv`: 8 customers. Its KPIs must be
// the hand-computed ones of small.csv (see 02-fixture.test.mjs): customers 8, orders 10, revenue
// 790.00. fixtures/lifetimes_weeks.csv is the first 200 rows of lifetimes' CDNOW summary as pandas
// writes it (index first with an empty header; recency and T in weeks; no dates): the page guesses
// weeks, asks for the as-of date, and refuses to analyse until it is given.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, openApp, FIXTURES, until, REPORT_TIMEOUT } from './harness.mjs';

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a summary file is offered as one and scores as the transactions it came from', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.upload(path.join(FIXTURES, 'summary.csv'));
    await page.locator('[data-testid=summary-offer]').waitFor({ state: 'visible' });
    assert.equal(await page.locator('[data-testid=summary-toggle]').isChecked(), true, 'read as a summary by default');
    assert.equal(await page.locator('[data-testid=summary-unit]').inputValue(), 'days', 'days: first/last dates say so');
    assert.equal(await page.locator('[data-testid=summary-as-of-needed]').count(), 0, 'first_order + T give the as-of date');
    await app.confirm();
    assert.equal(await app.number('kpi-customers'), 8);
    assert.equal(await app.number('kpi-orders'), 10);
    assert.equal(await app.number('kpi-revenue'), 790);
    const facts = await page.locator('[data-testid=summary-facts]').textContent();
    assert.match(facts, /Per-customer summary: 8 customers as of 2024-03-25/);
    // The customer table has the ids as in the transactions (the export's ' before = undone).
    const ids = await app.customerIds();
    assert.ok(ids.includes('=C8'), `ids ${ids}`);
    // Pages that need lines say why instead of running.
    for (const route of ['baskets', 'lifecycle']) {
      await page.locator(`[data-testid=nav-${route}]`).click();
      const notice = page.locator('[data-testid=needs-lines]');
      await notice.waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
      assert.match(await notice.textContent(), /needs the order lines, and this data is a per-customer summary/);
    }
    await app.assertClean();
  } finally {
    await app.close();
  }
});

test('a lifetimes summary in weeks without dates: the page asks for the as-of date, then predicts', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.upload(path.join(FIXTURES, 'lifetimes_weeks.csv'));
    await page.locator('[data-testid=summary-offer]').waitFor({ state: 'visible' });
    assert.equal(await page.locator('[data-testid=summary-unit]').inputValue(), 'weeks', 'fractions: weeks, guessed');
    await page.locator('[data-testid=summary-as-of-needed]').waitFor({ state: 'visible' });
    assert.equal(await page.locator('[data-testid=mapping-confirm]').isDisabled(), true, 'no analysis without the as-of date');
    await page.locator('[data-testid=summary-as-of]').fill('1997-09-30');
    await until(page, async () => (await page.locator('[data-testid=mapping-confirm]').isDisabled()) ? null : true, 'Analyse enabled');
    await app.confirm();
    assert.equal(await app.number('kpi-customers'), 200);
    await app.go('predictions');
    await page.locator('[data-testid=predict-run]').click();
    const bg = page.locator('[data-testid=model-table] tbody tr[data-model="BG/NBD"]');
    await bg.waitFor({ state: 'attached', timeout: REPORT_TIMEOUT });
    await app.assertClean();
  } finally {
    await app.close();
  }
});

test('the warehouse SQL is written from the mapped columns, without a request', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.upload(path.join(FIXTURES, 'small.csv'));
    await page.locator('[data-testid=sql-panel] summary').click();
    await page.locator('[data-testid=sql-dialect]').selectOption('spark');
    await page.locator('[data-testid=sql-table]').fill('shop.order_lines');
    await page.locator('[data-testid=sql-write]').click();
    const text = page.locator('[data-testid=sql-text]');
    await text.waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    const sql = await text.inputValue();
    // small.csv's headers, quoted the Spark way, and the table's parts quoted one by one.
    for (const name of ['`customer_id`', '`order_date`', '`amount`', '`order_id`', '`shop`.`order_lines`']) {
      assert.ok(sql.includes(name), `the query names ${name}`);
    }
    assert.match(sql, /monetary_value/);
    // An empty table name is refused with a message that says so.
    await page.locator('[data-testid=sql-table]').fill('');
    await page.locator('[data-testid=sql-write]').click();
    assert.match(await app.errorText(), /The table name is empty/);
    await app.assertClean();
  } finally {
    await app.close();
  }
});
