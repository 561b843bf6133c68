// 7. A GBK-encoded file with Chinese headers (fixtures/gbk-orders.csv, written with Python's
// `.encode('gbk')`; it is not valid UTF-8):
//
//   客户ID,订单号,下单时间,实付金额,商品
//   张三,D001,2024-01-10,120.50,茶叶
//   张三,D002,2024-02-15,80.00,茶具
//   李四,D003,2024-02-20,200.00,茶叶
//   王五,D004,2024-03-01,45.50,点心
//   王五,D004,2024-03-01,10.00,茶叶      (same order as the line above: one order of 55.50)
//   赵六,D005,2024-03-05,300.00,茶具
//   钱七,D006,2024-03-08,60.00,点心
//
// By hand: customers 5; orders 张三 2 + 李四 1 + 王五 1 + 赵六 1 + 钱七 1 = 6;
// revenue 200.50 + 200 + 55.50 + 300 + 60 = 816.00; rows 7 read, 7 kept; products 3.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { startServer, launchBrowser, openApp, FIXTURES, csvRows } from './harness.mjs';

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

test('GBK file with Chinese headers: encoding and roles detected, KPIs right', async () => {
  const fixture = path.join(FIXTURES, 'gbk-orders.csv');
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(fixture)), 'the fixture really is not UTF-8');
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.upload(fixture);
    assert.equal(await page.locator('[data-testid=encoding-select]').inputValue(), 'gb18030');
    assert.deepEqual(await app.roles(), ['customer_id', 'order_id', 'date', 'amount', 'product']);
    const headers = await page.locator('[data-testid=preview-table] th.colname').allTextContents();
    assert.deepEqual(headers, ['客户ID', '订单号', '下单时间', '实付金额', '商品'], 'headers decoded');
    await app.confirm();
    assert.equal(await app.number('q-rows-read'), 7);
    assert.equal(await app.number('q-rows-kept'), 7);
    assert.equal(await app.number('q-products'), 3);
    assert.equal(await app.number('kpi-customers'), 5);
    assert.equal(await app.number('kpi-orders'), 6);
    assert.equal(await app.number('kpi-revenue'), 816);
    assert.deepEqual((await app.customerIds()).sort(), ['张三', '李四', '王五', '赵六', '钱七'].sort());
    // The export is UTF-8 (with a BOM) whatever the input encoding.
    const exported = await app.exportCsv();
    assert.ok(exported.bom);
    const ids = csvRows(exported.text).slice(1).map((r) => r[0]).sort();
    assert.deepEqual(ids, ['张三', '李四', '王五', '赵六', '钱七'].sort());
    await app.assertClean();
  } finally {
    await app.close();
  }
});

// Issue "Real-world exports": the values beat the header's words. `amount` holds small whole
// numbers beside a money-like `sales_price`: the money is the amount, the small numbers the
// quantity, and the mapping says why; `basket_id` is the order id.
test('guesses that trust the values: a quantity named amount, a basket id', async () => {
  const fixture = path.join(FIXTURES, '..', '..', 'fixtures', 'ingest', 'basket_quantity.csv');
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.upload(fixture);
    assert.deepEqual(await app.roles(), ['customer_id', 'order_id', 'date', 'product', 'quantity', 'amount']);
    assert.match(await page.locator('[data-testid=guess-note]').textContent(), /“amount” holds small whole numbers, which looks like a quantity, so “sales_price”/);
    await app.confirm();
    assert.equal(await app.number('kpi-orders'), 5);
    assert.equal(await app.number('kpi-revenue'), 13.57);
    await app.assertClean();
  } finally {
    await app.close();
  }
});

// Issue "Real-world exports": when detection had doubts, the page shows the encoding choice with
// the preview; after "not a text table", it offers the encodings too. tests/fixtures/ingest/
// latin1.csv is Windows-1252 (José Muñoz, Café crème) without a byte-order mark.
test('a doubtful encoding is said beside the preview, and "not text" offers the encodings', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.upload(path.join(FIXTURES, '..', '..', 'fixtures', 'ingest', 'latin1.csv'));
    assert.equal(await page.locator('[data-testid=encoding-select]').inputValue(), 'windows-1252');
    const doubt = page.locator('[data-testid=encoding-doubt]');
    assert.match(await doubt.textContent(), /read as windows-1252, a guess/);
    const cells = await page.locator('[data-testid=preview-table] td').allTextContents();
    assert.ok(cells.includes('José Muñoz'), cells.join('|'));
    // Choosing an encoding is the user's word: the doubt goes.
    await page.locator('[data-testid=encoding-select]').selectOption('gb18030');
    await doubt.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Choose another file' }).click();
    await page.locator('[data-testid=upload-input]').setInputFiles({
      name: 'data.csv', mimeType: 'text/csv',
      buffer: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'),
    });
    await page.locator('[data-testid=error-encoding-select]').waitFor({ state: 'visible' });
    const options = await page.locator('[data-testid=error-encoding-select] option').allTextContents();
    assert.ok(options.includes('utf-16le') && options.includes('gb18030'), options.join('|'));
    await app.assertClean();
  } finally {
    await app.close();
  }
});
