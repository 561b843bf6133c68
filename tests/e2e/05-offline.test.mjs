// 5. Offline: once the page is loaded, the whole flow (upload → dashboard → export) works with
// the network switched off: nothing needs a server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, openApp, FIXTURES, csvRows } from './harness.mjs';

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

test('offline after load: upload, dashboard and export all work', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    await app.context.setOffline(true);
    assert.equal(await app.page.evaluate(() => navigator.onLine), false, 'the browser is offline');
    await app.analyse(path.join(FIXTURES, 'small.csv'));
    assert.equal(await app.number('kpi-customers'), 8);
    assert.equal(await app.number('kpi-orders'), 10);
    assert.equal(await app.number('kpi-revenue'), 790);
    const exported = await app.exportCsv();
    assert.equal(csvRows(exported.text).length - 1, 8, 'export of 8 customers offline');
    await app.assertClean();
  } finally {
    await app.close();
  }
});

test('dropping a file on the drop zone opens it like the file input', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    app.fileChosen();
    const csv = 'customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-02,20\nA,2024-02-01,5.50\n';
    const dt = await page.evaluateHandle((text) => {
      const d = new DataTransfer();
      d.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      return d;
    }, csv);
    await page.dispatchEvent('label.dropzone', 'dragover', { dataTransfer: dt });
    assert.match(await page.getAttribute('label.dropzone', 'class'), /dragging/, 'the drop zone highlights');
    await page.dispatchEvent('label.dropzone', 'drop', { dataTransfer: dt });
    await page.locator('[data-testid=mapping]').waitFor({ state: 'visible' });
    assert.match(await page.locator('[data-testid=mapping] .card-head .muted').textContent(), /^dropped\.csv · /);
    await app.confirm();
    assert.equal(await app.number('kpi-customers'), 2);
    assert.equal(await app.number('kpi-orders'), 3);
    assert.equal(await app.number('kpi-revenue'), 35.5);
    await app.assertClean();
  } finally {
    await app.close();
  }
});
