// 15. Issue "Real-world exports": an Excel workbook in, an Excel workbook out, every customer
// counted.
//
// tests/fixtures/ingest/workbooks/orders_openpyxl.xlsx (written by openpyxl; see its
// make_workbooks.py) has three sheets: 说明 (notes), 订单明细 (8 order lines) and 汇总 (a summary).
// The order lines, by hand: customers C001 (2 orders), C002 (2), C003 (2), C004 (1), C005 (1, whose
// amount is the error #N/A); so 7 lines kept, 1 dropped, 4 customers, 7 orders.
//
// tests/fixtures/ingest/zero_and_returns.csv: 7 customers; `cancelled` and `refund_only` have only
// returns, so 5 are scored (`free` and `coupon` with orders worth 0 among them) and the page says
// why the other 2 are not.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { startServer, launchBrowser, openApp } from './harness.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'ingest');

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

test('an .xlsx workbook: the largest sheet, a sheet picker, typed values, and an .xlsx export', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.upload(path.join(ROOT, 'workbooks', 'orders_openpyxl.xlsx'));
    const sheet = page.locator('[data-testid=sheet-select]');
    assert.equal(await sheet.inputValue(), '订单明细', 'the sheet with the most rows');
    assert.deepEqual(await sheet.locator('option').allTextContents(), ['说明', '订单明细', '汇总']);
    // A workbook has no encoding or delimiter to choose.
    assert.equal(await page.locator('[data-testid=encoding-select]').isVisible(), false);
    assert.equal(await page.locator('[data-testid=delimiter-select]').isVisible(), false);
    assert.deepEqual(await app.roles(), ['order_id', 'customer_id', 'date', 'amount', 'quantity', 'product']);
    // Another sheet, then back: the preview follows.
    await sheet.selectOption('汇总');
    await page.waitForFunction(() => document.querySelector('[data-testid=sheet-select]')?.value === '汇总');
    await sheet.selectOption('订单明细');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=preview-table] tbody tr').length > 3);
    await app.confirm();
    assert.equal(await app.number('q-rows-read'), 8);
    assert.equal(await app.number('q-rows-kept'), 7);
    assert.equal(await app.number('kpi-customers'), 4);
    assert.equal(await app.number('kpi-orders'), 7);

    await app.go('customers');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=export-xlsx]').click(),
    ]);
    assert.match(download.suggestedFilename(), /^orders_openpyxl-customers\.xlsx$/);
    const bytes = fs.readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 4).toString('binary'), 'PK\x03\x04', 'a zip, as .xlsx files are');
    await app.assertClean();
  } finally {
    await app.close();
  }
});

test('customers not scored are counted and said', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    await app.analyse(path.join(ROOT, 'zero_and_returns.csv'));
    assert.equal(await app.number('kpi-customers'), 5);
    const line = app.page.locator('[data-testid=customers-unscored]');
    assert.equal(await line.getAttribute('data-value'), '2');
    assert.match(await line.textContent(), /7 customers in the file, 5 scored\. Not scored: 2 with only returns, 0 /);
    await app.assertClean();
  } finally {
    await app.close();
  }
});

// A 10,000-column file (issue "Real-world exports": it blocked the page for 13 s at the preview
// and 15 s at Analyse): the table shows the first columns and the mapped ones, the rest are found
// by name. Columns: customer_id, date, then attr_2 … attr_9997, tier (9998), amount (9999).
// Rows, by hand: c1 2024-01-05 10.00; c2 2024-02-05 20.50; c1 2024-03-05 5.25 → 2 customers,
// 3 orders, revenue 35.75.
test('a 10,000-column file: first columns, mapped ones and a column search', async () => {
  const width = 10000;
  const header = ['customer_id', 'date'];
  for (let i = 2; i < width - 2; i++) header.push(`attr_${i}`);
  header.push('tier', 'amount');
  const row = (id, date, tier, amount) => {
    const cells = [id, date];
    for (let i = 2; i < width - 2; i++) cells.push(String(i % 7));
    cells.push(tier, amount);
    return cells.join(',');
  };
  const text = [header.join(','), row('c1', '2024-01-05', 'gold', '10.00'), row('c2', '2024-02-05', 'silver', '20.50'),
    row('c1', '2024-03-05', 'gold', '5.25')].join('\n') + '\n';
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.upload({ name: 'wide.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    assert.match(await page.locator('[data-testid=wide-note]').textContent(), /10000 columns; 31 are shown/);
    const pickers = page.locator('[data-testid^=role-select-]');
    assert.equal(await pickers.count(), 31, 'the first 30 columns and the amount at 9999');
    assert.equal(await page.locator('[data-testid=role-select-9999]').getAttribute('data-role'), 'amount');
    await page.locator('[data-testid=column-search]').fill('tier');
    await page.locator('[data-testid=column-result-9998]').click();
    const tier = page.locator('[data-testid=role-select-9998]');
    await tier.waitFor({ state: 'visible' });
    await tier.selectOption('channel');
    await app.confirm();
    assert.equal(await app.number('kpi-customers'), 2);
    assert.equal(await app.number('kpi-orders'), 3);
    assert.equal(await app.number('kpi-revenue'), 35.75);
    await app.assertClean();
  } finally {
    await app.close();
  }
});
