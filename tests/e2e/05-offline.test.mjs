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
