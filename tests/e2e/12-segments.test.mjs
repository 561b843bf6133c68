// 12. Segments found in the data, on the demo: the demo attributes joined with an unmatched-id
// report; k-means with the k sweep (auto k) and attribute features; the segment table, transforms
// and the four charts; renaming; save → apply a saved segmentation; a fixed k; a broken
// segmentation file explained without losing the results; the cluster tag filter and its export;
// the customer profile with its timeline; Chinese; zero requests after the file was chosen.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

async function clusterRows(page) {
  return page.locator('[data-testid=cluster-row]').evaluateAll((rows) => rows.map((r) => ({
    segment: Number(r.getAttribute('data-segment')),
    customers: Number(r.getAttribute('data-customers')),
    revenueShare: Number(r.getAttribute('data-revenue-share')),
  })));
}

/** Waits for a segmentation result newer than `before` (the summary text changes). */
async function awaitClusters(page, previousSummary = null) {
  await until(page, async () => {
    const summary = page.locator('[data-testid=cluster-summary]');
    if (!(await summary.count())) return null;
    const text = (await summary.textContent()).trim();
    if (!text || text === previousSummary) return null;
    if (await page.locator('[data-testid=progress]').count()) return null;
    return text;
  }, 'segmentation result', REPORT_TIMEOUT);
  return (await page.locator('[data-testid=cluster-summary]').textContent()).trim();
}

test('segments: attributes, sweep, profiles, charts, save and apply, tags, customer profile', async () => {
  const app = await openApp(browser, server);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'segscope-e2e-'));
  try {
    await app.goto();
    const { page } = app;
    app.fileChosen();
    await page.locator('[data-testid=demo-button]').click();
    await page.locator('[data-testid=mapping]').waitFor({ state: 'visible', timeout: 60_000 });
    await app.confirm();
    const customers = await app.number('kpi-customers');

    // The demo attributes (fetched with the demo, so no request now) join with a report.
    await app.go('segments');
    await page.locator('[data-testid=demo-attributes]').click();
    const join = page.locator('[data-testid=attributes-join]');
    await join.waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    const joinText = await join.textContent();
    const [matched, rows, unmatched, without] = joinText.match(/[\d,]+/g).slice(0, 4).map((n) => Number(n.replace(/,/g, '')));
    assert.ok(matched > 0 && matched < rows, `matched ${matched} of ${rows}`);
    assert.equal(rows, matched + unmatched, 'every row matched or not');
    assert.ok(without > 0 && without < customers, `${without} customers without attributes`);
    assert.match(joinText, /Unmatched ids, e\.g\./);

    // Features: RFM by default, plus two attribute columns.
    for (const f of ['recency_days', 'frequency', 'monetary']) {
      assert.ok(await page.locator(`[data-testid="feature-${f}"]`).isChecked(), `${f} on by default`);
    }
    assert.ok(await page.locator('[data-testid="feature-clv"]').isDisabled(), 'CLV needs predictions');
    await page.locator('[data-testid="feature-attr:age"]').check();
    await page.locator('[data-testid="feature-attr:membership_level"]').check();

    // Auto k: the sweep picks k; the table, transforms and charts follow.
    await page.locator('[data-testid=cluster-run]').click();
    let summary = await awaitClusters(page);
    const results = page.locator('[data-testid=cluster-results]');
    const k = Number(await results.getAttribute('data-k'));
    assert.equal(k, Number(await results.getAttribute('data-suggested-k')), 'auto k = suggested k');
    assert.ok(k >= 2 && k <= 10, `k = ${k}`);
    let segs = await clusterRows(page);
    assert.equal(segs.length, k);
    assert.equal(segs.reduce((a, s) => a + s.customers, 0), customers, 'every customer in one segment');
    assert.ok(Math.abs(segs.reduce((a, s) => a + s.revenueShare, 0) - 1) < 1e-3, 'revenue shares sum to 1');
    for (let i = 1; i < segs.length; i++) assert.ok(segs[i - 1].customers >= segs[i].customers, 'largest first');
    const transforms = await page.locator('[data-testid=transform-row]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-transform')));
    assert.ok(transforms.includes('log, then standardised'), `a skewed input was logged: ${transforms}`);
    assert.ok(transforms.includes('one-hot (0/1)'), 'membership level one-hot encoded');
    for (const name of ['cluster-elbow', 'cluster-projection', 'cluster-profile', 'cluster-sizes']) {
      const s = await drawnPixels(page, name);
      assert.ok(s.share > 0.01 && s.colours > 10, `${name} drawn: ${JSON.stringify(s)}`);
    }

    // Rename segment 1, save the segmentation: names inside, no customer rows.
    const name = page.locator('[data-testid=cluster-name]').first();
    await name.fill('VIP 核心客户');
    await name.dispatchEvent('change');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: REPORT_TIMEOUT }),
      page.locator('[data-testid=segmentation-save]').click(),
    ]);
    assert.match(download.suggestedFilename(), /-segmentation\.json$/);
    const saved = fs.readFileSync(await download.path(), 'utf8');
    const model = JSON.parse(saved);
    assert.equal(model.names[0], 'VIP 核心客户');
    assert.equal(model.centroids.length, k);
    const firstId = (await app.customerIds())[0];
    assert.ok(!saved.includes(`"${firstId}"`), 'no customer id in the saved segmentation');
    const modelPath = path.join(tmp, 'segmentation.json');
    fs.writeFileSync(modelPath, saved);

    // A fixed k = 3 (back on the Segments page, which kept its results and names).
    await app.go('segments');
    assert.equal(await page.locator('[data-testid=cluster-name]').first().inputValue(), 'VIP 核心客户');
    await page.locator('[data-testid=cluster-k]').selectOption('3');
    await page.locator('[data-testid=cluster-run]').click();
    summary = await awaitClusters(page, summary);
    assert.equal((await clusterRows(page)).length, 3);

    // Apply the saved segmentation: same k and names as saved.
    await page.locator('[data-testid=segmentation-input]').setInputFiles(modelPath);
    summary = await awaitClusters(page, summary);
    await page.locator('[data-testid=cluster-applied]').waitFor({ state: 'visible' });
    segs = await clusterRows(page);
    assert.equal(segs.length, k);
    assert.equal(await page.locator('[data-testid=cluster-name]').first().inputValue(), 'VIP 核心客户');
    assert.equal(segs.reduce((a, s) => a + s.customers, 0), customers);

    // A broken segmentation file is explained; the segments on screen stay.
    const broken = path.join(tmp, 'broken.json');
    fs.writeFileSync(broken, '{"format_version": 1, "features": [');
    await page.locator('[data-testid=segmentation-input]').setInputFiles(broken);
    assert.match(await app.errorText(), /segmentation file cannot be read/);
    assert.equal((await clusterRows(page)).length, k, 'the segments stay');

    // "Customers →" of segment 1 opens the Customers page: the table shows exactly its customers,
    // tagged with it, and the target list export carries the tag columns.
    await page.locator('[data-testid=cluster-customers]').first().click();
    await page.locator('[data-testid=nav-customers][aria-current=page]').waitFor({ timeout: REPORT_TIMEOUT });
    assert.match(page.url(), /#\/customers$/, 'the address names the page');
    await until(page, async () => Number(await app.value('customer-count')) === segs[0].customers || null, 'segment 1 customers');
    const badge = await page.locator('[data-testid=cell-tags]').first().textContent();
    assert.ok(badge.includes('VIP 核心客户'), `the row carries the cluster tag: ${badge}`);
    const exported = csvRows((await app.exportCsv()).text);
    const clusterCol = exported[0].indexOf('cluster');
    assert.ok(clusterCol > 0, `cluster column in ${exported[0]}`);
    for (const tag of ['value_tier', 'purchase_cycle', 'preferred_category', 'region', 'channel']) {
      assert.ok(exported[0].includes(tag), `${tag} column`);
    }
    assert.equal(exported.length - 1, segs[0].customers);
    assert.ok(exported.slice(1).every((r) => r[clusterCol] === '0'), 'every exported row in segment 0');

    // Any combination of tags: the top value tier AND monthly buyers.
    await page.locator('[data-testid=tags-clear]').click();
    await until(page, async () => Number(await app.value('customer-count')) === customers || null, 'filters cleared');
    const top = page.locator('[data-testid=tag-chip][data-kind=value_tier][data-value=Top]');
    const topCount = Number(await top.getAttribute('data-customers'));
    assert.ok(topCount > 0 && topCount < customers);
    await top.click();
    await until(page, async () => Number(await app.value('customer-count')) === topCount || null, 'top tier');
    await page.locator('[data-testid=tag-chip][data-kind=purchase_cycle]').first().click();
    await until(page, async () => {
      const n = Number(await app.value('customer-count'));
      return n > 0 && n < topCount ? n : null;
    }, 'top tier AND a purchase cycle');
    await page.locator('[data-testid=tags-clear]').click();

    // The customer profile: click an id; then an unknown id gets suggestions.
    await until(page, async () => Number(await app.value('customer-count')) === customers || null, 'filters cleared');
    const someId = (await app.customerIds())[0];
    await page.locator('[data-testid=open-profile]').first().click();
    const profile = page.locator('[data-testid=profile]');
    await profile.waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    assert.equal(await profile.getAttribute('data-customer'), someId);
    const orders = Number(await profile.getAttribute('data-orders'));
    assert.ok(orders > 0);
    assert.equal(await page.locator('[data-testid=timeline-order]').count(), Math.min(orders, 500), 'one timeline row per order');
    assert.ok((await page.locator('[data-testid=profile-tags]').textContent()).length > 0, 'tags shown');
    await page.locator('[data-testid=profile-search]').fill(someId.slice(0, -1) + 'x');
    await page.locator('[data-testid=profile-show]').click();
    await page.locator('[data-testid=profile-not-found]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });

    // Back returns to the Segments page with its results; Chinese.
    await page.goBack();
    await page.locator('[data-testid=nav-segments][aria-current=page]').waitFor({ timeout: REPORT_TIMEOUT });
    assert.equal((await clusterRows(page)).length, k, 'the segments are still there');
    await page.locator('[data-testid=lang-toggle]').click();
    await until(page, async () => /数据驱动的客户分群/.test(await page.locator('[data-testid=clusters] h2').textContent()) || null, 'Chinese title');
    await page.locator('[data-testid=lang-toggle]').click();

    await app.assertClean({ allowAfterFile: [(r) => r.url === server.url + 'demo/transactions.csv' || r.url === server.url + 'demo/customers.csv' || r.url === server.url + 'demo/campaign.csv'] });
  } finally {
    await app.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
