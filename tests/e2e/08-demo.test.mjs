// 8. The demo: dashboard, customer table (search, segment filter, sort, pages) and the charts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp, until } from './harness.mjs';

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

const CHARTS = ['trend', 'segments', 'heatmap', 'lorenz', 'recency', 'frequency', 'monetary'];

test('demo dashboard: table search, filter, sort, paging; charts drawn; trend readout', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    app.fileChosen(); // the demo click is the file choice
    await page.locator('[data-testid=demo-button]').click();
    await page.locator('[data-testid=mapping]').waitFor({ state: 'visible', timeout: 60_000 });
    await app.confirm();
    const total = await app.number('kpi-customers');
    assert.equal(total, 2000);
    assert.equal(await app.number('customer-count'), total);
    const segRows = await app.segmentRows();
    assert.equal(segRows.length, 11);
    assert.equal(segRows.reduce((s, r) => s + r.customers, 0), total);
    const share = await app.number('pareto-sentence');
    assert.ok(share > 0 && share < 1, `Pareto share ${share}`);

    // Page 1 → page 2: different rows.
    const page1 = await app.customerIds();
    assert.equal(page1.length, 50, 'a page has 50 rows');
    await page.locator('[data-testid=page-prev]').isDisabled().then((d) => assert.ok(d, 'no previous page at first'));
    await page.locator('[data-testid=page-next]').click();
    const page2 = await until(page, async () => {
      const ids = await app.customerIds();
      return ids.length && ids[0] !== page1[0] ? ids : null;
    }, 'page 2');
    assert.equal(page2.filter((id) => page1.includes(id)).length, 0, 'page 2 shares no row with page 1');
    assert.match(await page.locator('[data-testid=customer-count]').textContent(), /^51–100 of 2,000$/);
    await page.locator('[data-testid=page-prev]').click();
    await until(page, async () => (await app.customerIds())[0] === page1[0], 'back to page 1');

    // Sorting: the default order is revenue descending; clicking the Revenue header reverses it
    // (a new first row, ascending values), clicking again restores it; Recency sorts by days.
    const monetary = () => page.locator('[data-testid=customer-table] tbody tr td:nth-child(4)').evaluateAll((tds) => tds.map((t) => Number(t.getAttribute('data-value'))));
    const desc = await monetary();
    for (let i = 1; i < desc.length; i++) assert.ok(desc[i - 1] >= desc[i], 'default: revenue descending');
    const revenueHeader = page.locator('[data-testid=customer-table] th[data-sort=Monetary] button');
    await revenueHeader.click();
    const ascIds = await until(page, async () => {
      const ids = await app.customerIds();
      return ids[0] !== page1[0] ? ids : null;
    }, 'a new first row after sorting');
    assert.notEqual(ascIds[0], page1[0]);
    const asc = await monetary();
    for (let i = 1; i < asc.length; i++) assert.ok(asc[i - 1] <= asc[i], 'revenue ascending');
    assert.ok(asc[0] < desc[0]);
    assert.match(await revenueHeader.textContent(), /▲$/);
    await revenueHeader.click();
    await until(page, async () => (await app.customerIds())[0] === page1[0], 'descending again');
    assert.match(await revenueHeader.textContent(), /▼$/);
    await page.locator('[data-testid=customer-table] th[data-sort=RecencyDays] button').click();
    await until(page, async () => (await app.customerIds())[0] !== page1[0], 'sorted by recency');
    const recency = await page.locator('[data-testid=customer-table] tbody tr td:nth-child(2)').evaluateAll((tds) => tds.map((t) => Number(t.textContent)));
    for (let i = 1; i < recency.length; i++) assert.ok(recency[i - 1] >= recency[i], 'recency descending (numeric columns start descending)');

    // Search by id narrows to matching ids.
    await page.locator('[data-testid=customer-search]').fill('12');
    const matching = await until(page, async () => {
      const n = Number(await app.value('customer-count'));
      return n < total ? n : null;
    }, 'search narrows');
    assert.ok(matching > 0, 'some ids contain 12');
    const found = await app.customerIds();
    assert.equal(found.length, Math.min(50, matching));
    for (const id of found) assert.ok(id.includes('12'), `${id} matches the search`);
    await page.locator('[data-testid=customer-search]').fill('');
    await until(page, async () => Number(await app.value('customer-count')) === total, 'search cleared');

    // Segment filter: customer-count equals that segment's count in the segment table.
    const seg = segRows.filter((r) => r.customers > 0 && r.customers < total).sort((a, b) => a.customers - b.customers)[0];
    await page.locator('[data-testid=segment-filter]').selectOption(seg.segment);
    await until(page, async () => Number(await app.value('customer-count')) === seg.customers, `count of ${seg.segment}`);
    const segLabels = await page.locator('[data-testid=customer-table] tbody tr td:nth-child(7)').allTextContents();
    assert.ok(segLabels.length > 0 && segLabels.every((l) => l === seg.label), `all rows are ${seg.label}`);
    await page.locator('[data-testid=segment-filter]').selectOption('');
    await until(page, async () => Number(await app.value('customer-count')) === total, 'filter cleared');

    // Charts (back on the overview, which draws them again): every canvas has many
    // non-background pixels.
    await app.go('overview');
    for (const name of CHARTS) {
      const canvas = page.locator(`[data-testid=chart-${name}] canvas`);
      await canvas.scrollIntoViewIfNeeded();
      const stats = await canvas.evaluate((c) => {
        const ctx = c.getContext('2d');
        const { data } = ctx.getImageData(0, 0, c.width, c.height);
        // Background = the most common colour; count pixels of any other colour.
        const counts = new Map();
        for (let i = 0; i < data.length; i += 4) {
          const key = (data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3];
          counts.set(key, (counts.get(key) || 0) + 1);
        }
        const top = Math.max(...counts.values());
        return { width: c.width, height: c.height, pixels: data.length / 4, other: data.length / 4 - top, colours: counts.size };
      });
      assert.ok(stats.width >= 320 && stats.height === 320, `${name}: canvas sized ${stats.width}×${stats.height}`);
      assert.ok(stats.other > stats.pixels * 0.01, `${name}: ${stats.other} drawn pixels of ${stats.pixels}`);
      assert.ok(stats.colours > 10, `${name}: ${stats.colours} colours`);
    }

    // Hovering the trend chart fills its readout with a month.
    const trend = page.locator('[data-testid=chart-trend] canvas');
    await trend.scrollIntoViewIfNeeded();
    const box = await trend.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const readout = page.locator('[data-testid=readout-trend]');
    await until(page, async () => (await readout.textContent()).length > 0, 'trend readout');
    assert.match(await readout.textContent(), /^\d{4}-\d{2}: revenue [\d,.]+, \d+ orders, \d+ customers$/);
    await page.mouse.move(box.x + box.width / 2, box.y - 40);
    await until(page, async () => (await readout.textContent()) === '', 'readout cleared on leave');

    await app.assertClean({ allowAfterFile: [(r) => r.url === server.url + 'demo/transactions.csv' || r.url === server.url + 'demo/customers.csv' || r.url === server.url + 'demo/campaign.csv'] });
  } finally {
    await app.close();
  }
});
