// 9. Cancel: a large file (1,200,000 lines, generated in a temp dir) is analysed, the analysis is
// cancelled while the file is being read, the page goes back to the mapping with a notice and no
// error, the worker goes on (nothing is fetched again), and analysing again draws the dashboard.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, openApp } from './harness.mjs';

// Large enough that the rest of the read, once cancelled, would take well over the page's 0.4 s wait
// (≈ 1 s in all here): a read that did not stop would end in a new worker, which the test refuses.
const LINES = 1_200_000;
const CUSTOMERS = 20_000;
let browser, server, dir, big;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segscope-e2e-'));
  big = path.join(dir, 'big.csv');
  const out = ['customer_id,order_id,date,amount,product'];
  for (let i = 0; i < LINES; i++) {
    const c = (Math.floor(i / 2) * 7919) % CUSTOMERS; // two lines per order; all 20,000 ids appear (7919 is prime to 20,000)
    const day = 1 + (i % 28);
    const month = 1 + (Math.floor(i / 28) % 12);
    out.push(`K${c},R${Math.floor(i / 2)},2023-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')},${(5 + (i % 97) * 1.25).toFixed(2)},P${i % 300}`);
  }
  fs.writeFileSync(big, out.join('\n') + '\n');
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('cancel a large analysis: back to the mapping with a notice, then analyse again', async (t) => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.upload(big);
    const workers = app.log.workers;
    // Click Analyse, then Cancel once the progress bar shows the file part-read (polled in the
    // page every frame, so the click surely lands while the worker is busy).
    const state = await page.evaluate(() => new Promise((resolve, reject) => {
      document.querySelector('[data-testid=mapping-confirm]').click();
      const started = performance.now();
      const tick = () => {
        if (document.querySelector('[data-testid=report-ready]')) return reject(new Error('finished before it could be cancelled'));
        const cancel = document.querySelector('[data-testid=progress] [data-testid=cancel-button]');
        const label = document.querySelector('[data-testid=progress] .progress-label')?.textContent || '';
        const percent = Number((/(\d+)%/.exec(label) || [])[1] || 0);
        // Part-read, or (on a much faster machine) whatever shows after 2 s.
        const reading = label.startsWith('Reading and cleaning the file');
        if (cancel && ((reading && percent > 0) || performance.now() - started > 2000)) {
          cancel.click();
          return resolve({ label, reportReady: !!document.querySelector('[data-testid=report-ready]') });
        }
        if (performance.now() - started > 20_000) return reject(new Error('no progress bar'));
        requestAnimationFrame(tick);
      };
      tick();
    }));
    assert.equal(state.reportReady, false, 'cancelled before the dashboard');
    const notice = page.locator('[data-testid=notice]');
    await notice.waitFor({ state: 'visible' });
    assert.match(await notice.textContent(), /Cancelled\. Nothing you did was lost\./);
    await page.locator('[data-testid=progress]').waitFor({ state: 'detached' });
    assert.ok(await page.locator('[data-testid=mapping]').isVisible(), 'back on the mapping');
    assert.equal(await page.locator('[data-testid=error-panel]').count(), 0, 'no error');
    // Nothing arrives late from the cancelled request.
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('[data-testid=report-ready]').count(), 0);
    assert.equal(await page.locator('[data-testid=error-panel]').count(), 0);

    // Analyse again: the worker is given the file again.
    const started = Date.now();
    await app.confirm();
    const seconds = (Date.now() - started) / 1000;
    assert.equal(await app.number('q-rows-read'), LINES);
    assert.equal(await app.number('q-rows-kept'), LINES);
    assert.equal(await app.number('kpi-customers'), CUSTOMERS);
    assert.equal(await app.number('q-orders'), LINES / 2, 'two lines per order');
    assert.equal(await app.number('kpi-orders'), LINES / 2);
    assert.equal(await page.locator('[data-testid=notice]').count(), 0, 'the notice is cleared by the new analysis');
    t.diagnostic(`analysis of ${LINES} lines after cancel: ${seconds.toFixed(1)} s; cancelled at “${state.label}”`);

    if (state.label.startsWith('Reading and cleaning the file')) {
      // A read stops between two chunks and the same worker goes on: no request at all.
      await app.assertClean();
      assert.equal(app.log.workers, workers, 'no worker was started again');
    } else {
      // Cancelled later (a much faster machine): a synchronous step is stopped by replacing the
      // worker, which fetches its own bundle again: allowed, nothing else.
      t.diagnostic('cancelled after the read: the worker was replaced');
      const bundle = new Set(['worker_loader.js', 'worker.js', 'worker_bg.wasm'].map((f) => server.url + f));
      await app.assertClean({ allowAfterFile: [(r) => r.method === 'GET' && bundle.has(r.url)] });
    }
  } finally {
    await app.close();
  }
});

// Regression: cancel() promises “the fresh worker is given the file again when needed”, but only
// set_rfm() used to re-ingest when the worker had lost the dataset; set_query() (filter, search,
// sort, paging) and export() failed with “The analysis engine lost the data”. Both now re-ingest
// the kept file first.
test('after cancelling a re-analysis on the dashboard, the table and the export still work', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    app.fileChosen(); // the demo click is the file choice
    await page.locator('[data-testid=demo-button]').click();
    await page.locator('[data-testid=mapping]').waitFor({ state: 'visible', timeout: 60_000 });
    await app.confirm();
    const segRows = await app.segmentRows();
    // Change a setting (a re-analysis on the dashboard) and cancel it while it runs.
    // A MutationObserver clicks Cancel as soon as the progress bar is inserted: the demo's
    // re-analysis can start and finish between two animation frames, so polling per frame raced.
    await page.evaluate(() => new Promise((resolve, reject) => {
      const tryCancel = () => {
        const cancel = document.querySelector('[data-testid=progress] [data-testid=cancel-button]');
        if (!cancel) return false;
        observer.disconnect();
        cancel.click();
        resolve();
        return true;
      };
      const observer = new MutationObserver(tryCancel);
      observer.observe(document.body, { childList: true, subtree: true });
      document.querySelector('[data-testid=cap-outliers-toggle]').click();
      if (!tryCancel()) {
        setTimeout(() => { observer.disconnect(); reject(new Error('no progress bar')); }, 10_000);
      }
    }));
    await page.locator('[data-testid=notice]').waitFor({ state: 'visible' });
    assert.ok(await page.locator('[data-testid=report-ready]').count(), 'the last dashboard stays');

    // The customer table still answers: filter on a segment.
    const seg = segRows.find((r) => r.customers > 0 && r.segment !== 'champions');
    await app.go('customers');
    await page.locator('[data-testid=segment-filter]').selectOption(seg.segment);
    await page.waitForTimeout(1500);
    const error = await page.locator('[data-testid=error-message]').textContent().catch(() => null);
    assert.equal(error, null, 'no error after filtering');
    assert.equal(Number(await app.value('customer-count')), seg.customers, `the table shows ${seg.segment}`);
    const exported = await app.exportCsv();
    assert.ok(exported.text.startsWith('customer_id,'), 'the export works');
    await app.assertClean({ allowAfterFile: [(r) => r.method === 'GET' && !/\.csv$/.test(r.url) || /\/demo\/(transactions|customers|campaign)\.csv$/.test(r.url)] });
  } finally {
    await app.close();
  }
});
