// 2. A hand-made file with hand-computed answers, and 3. the export of its target list.
//
// fixtures/small.csv (line 1 is the header `order_id,customer_id,order_date,amount,product`):
//
//   line  order customer date        amount
//    2    O1    C1       2024-01-05   100.00
//    3    O2    C1       2024-03-10    50.00
//    4    O3    C2       2024-02-01   200.00
//    5    O3    C2       2024-02-01   -50.00   return line, netted inside order O3 → 150
//    6    O4    C3       2024-03-20    80.00
//    7    O4    C3       2024-03-20    80.00   exact duplicate of line 6 (removed: the file has order ids)
//    8    O5    C4       2024-01-15    30.00
//    9    O6    C5       2024-02-28   120.00
//   10    O7    C6       2024-03-01    60.00
//   11    O8    C6       2024-03-25    40.00
//   12    O9    C7       2024-03-05    70.00
//   13    O10   C7       2024-02-30    15.00   bad date (no 30 February) → dropped
//   14    O11   =C8      2024-03-15    90.00   id starting with '=' (formula injection in the export)
//
// Quality report (by hand):
//   rows read 13 (lines 2–14); dropped 1 (BadDate, line 13, value “2024-02-30”); kept 12
//   (the duplicate is kept and flagged); exact duplicates 1; return lines 1;
//   customers 8 (C1..C7, =C8); orders = distinct (customer, order id) among kept lines:
//   O1 O2 O3 O4 O5 O6 O7 O8 O9 O11 = 10.
// KPIs (duplicate removed, returns netted per order, only positive orders count):
//   C1: 100 + 50 (2 orders) · C2: 200 − 50 = 150 (1) · C3: 80 (1, duplicate removed) · C4: 30 (1)
//   C5: 120 (1) · C6: 60 + 40 (2) · C7: 70 (1) · =C8: 90 (1)
//   customers 8, orders 10, revenue 150 + 150 + 80 + 30 + 120 + 100 + 70 + 90 = 790.00.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, openApp, FIXTURES, csvRows, until } from './harness.mjs';

const SMALL = path.join(FIXTURES, 'small.csv');
const EXPORT_HEADER = 'customer_id,recency_days,frequency,monetary,average_order_value,r_score,f_score,m_score,segment,first_order,last_order,value_tier,rfm_segment,cluster,churn_risk,preferred_category,region,channel,purchase_cycle';

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

test('hand-made fixture: mapping, quality report and KPIs equal the hand-computed values', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.upload(SMALL);
    // Roles detected from the header names.
    assert.deepEqual(await app.roles(), ['order_id', 'customer_id', 'date', 'amount', 'product']);
    assert.equal(await page.locator('[data-testid=mapping-missing]').count(), 0, 'nothing required is missing');
    assert.equal(await page.locator('[data-testid=date-order-warning]').count(), 0, 'ISO dates are not ambiguous');
    await app.confirm();

    // Quality report.
    const q = {};
    for (const id of ['q-rows-read', 'q-rows-kept', 'q-rows-dropped', 'q-duplicates', 'q-returns', 'q-customers', 'q-orders']) {
      q[id] = await app.number(id);
    }
    assert.deepEqual(q, {
      'q-rows-read': 13, 'q-rows-kept': 12, 'q-rows-dropped': 1, 'q-duplicates': 1,
      'q-returns': 1, 'q-customers': 8, 'q-orders': 10,
    });
    const reasons = page.locator('[data-testid=drop-reason]');
    assert.equal(await reasons.count(), 1);
    assert.equal(await reasons.getAttribute('data-reason'), 'BadDate');
    assert.equal(await reasons.getAttribute('data-count'), '1');
    const reasonText = await reasons.textContent();
    assert.match(reasonText, /not a date/);
    assert.match(reasonText, /order_date/, 'names the column');
    assert.match(reasonText, /line 13/, 'names the line');
    assert.match(reasonText, /2024-02-30/, 'shows the value');
    assert.ok(await page.locator('[data-testid=dedupe-toggle]').isChecked(), 'duplicates removed by default (order ids)');
    assert.equal(await app.value('q-date-range'), '2024-01-05 – 2024-03-25');

    // KPIs.
    assert.equal(await app.number('kpi-customers'), 8);
    assert.equal(await app.number('kpi-orders'), 10);
    assert.equal(await app.number('kpi-revenue'), 790);

    // Segment table: 11 rows, counts summing to the customers.
    const rows = await app.segmentRows();
    assert.equal(rows.length, 11, 'eleven segments');
    assert.equal(new Set(rows.map((r) => r.segment)).size, 11);
    assert.equal(rows.reduce((s, r) => s + r.customers, 0), 8);
    assert.ok(Math.abs(rows.reduce((s, r) => s + r.revenue, 0) - 790) < 0.011, 'segment revenues sum to the KPI');

    // The customer table shows all 8 on one page, the '=' id as plain text.
    assert.equal(await app.number('customer-count'), 8);
    const ids = await app.customerIds();
    assert.deepEqual([...ids].sort(), ['=C8', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']);

    // Turning duplicate removal off re-analyses: C3 now has 160 in one order, revenue 870.
    await app.go('overview');
    await page.locator('[data-testid=dedupe-toggle]').uncheck();
    await until(page, async () => (await app.value('kpi-revenue')) === '870', 'revenue 870 with duplicates kept');
    assert.equal(await app.number('kpi-orders'), 10, 'the duplicate line is in the same order');

    await app.assertClean();
  } finally {
    await app.close();
  }
});

test('export: header, one row per customer, formula neutralised; a segment filter exports that segment', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.analyse(SMALL);
    const customers = await app.number('kpi-customers');

    const all = await app.exportCsv();
    assert.ok(all.bom, 'the export starts with a UTF-8 BOM (for Excel)');
    assert.equal(all.name, 'small-customers.csv');
    const lines = all.text.split(/\r?\n/).filter((l) => l);
    assert.equal(lines[0], EXPORT_HEADER);
    const body = csvRows(all.text).slice(1);
    assert.equal(body.length, customers, 'one row per customer');
    assert.deepEqual(body.map((r) => r[0]).sort(), ["'=C8", 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7'], 'the = id is neutralised');
    const byId = Object.fromEntries(body.map((r) => [r[0], r]));
    assert.equal(byId.C2[3], '150', 'C2 monetary is net of the return');
    assert.equal(byId.C3[3], '80', 'C3 duplicate line removed');
    assert.equal(byId.C1[2], '2', 'C1 has two orders');
    assert.equal(byId.C6[10], '2024-03-25', 'last order of C6');
    // Tags (hand-checked): C1 spent 100 on A and 50 on B, 65 days apart; no cluster or prediction yet.
    assert.equal(byId.C1[15], 'A', 'C1 prefers product A');
    assert.equal(byId.C1[18], 'quarterly', 'C1 buys every 65 days');
    assert.equal(byId.C1[13], '', 'no cluster before a segmentation');
    assert.ok(['top', 'middle', 'low'].includes(byId.C1[11]), 'a value tier');
    assert.match(await page.locator('[data-testid=notice]').textContent(), /Customers exported: 8\./);

    // Filter on the segment with the most customers, export again.
    const rows = (await app.segmentRows()).filter((r) => r.customers > 0).sort((a, b) => b.customers - a.customers);
    const seg = rows[0];
    await app.go('customers');
    await page.locator('[data-testid=segment-filter]').selectOption(seg.segment);
    await until(page, async () => (await app.value('customer-count')) === String(seg.customers), `customer-count ${seg.customers}`);
    assert.equal((await app.customerIds()).length, seg.customers);
    const filtered = await app.exportCsv();
    const fbody = csvRows(filtered.text).slice(1);
    assert.equal(fbody.length, seg.customers, `export of ${seg.segment} has its table count`);
    for (const r of fbody) assert.equal(r[8], seg.segment, 'every exported row is in the segment');

    await app.assertClean();
  } finally {
    await app.close();
  }
});

test('segment rules: reassigning an (R, F) cell moves its customers; reset restores the defaults', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.analyse(SMALL);
    const before = await app.segmentRows();
    // The top customer by revenue (the default sort) and its scores.
    await app.go('customers');
    const first = page.locator('[data-testid=customer-table] tbody tr').first();
    const id = await first.getAttribute('data-customer');
    const [r, f] = (await first.locator('td').nth(5).textContent()).trim().split(/\s+/).map(Number);
    // The grid is on the overview, the table on the customers page: each page keeps its state.
    const segmentOf = async () => (await app.go('customers'), page.locator(`[data-testid=customer-table] tbody tr[data-customer="${id}"] td`).nth(6).textContent());
    const was = await segmentOf();
    assert.notEqual(was, 'Lost');

    await app.go('overview');
    await page.locator('[data-testid=segment-grid] summary').click();
    await page.locator(`[data-testid=grid-cell-${r}-${f}]`).selectOption('lost');
    await until(page, async () => (await segmentOf()) === 'Lost', `${id} moved to Lost`);
    const after = await app.segmentRows();
    const lost = (rows) => rows.find((x) => x.segment === 'lost').customers;
    assert.ok(lost(after) > lost(before), 'Lost has more customers');
    assert.equal(after.reduce((s, x) => s + x.customers, 0), 8, 'still 8 customers in all');

    await app.go('overview');
    if (!(await page.locator('[data-testid=segment-grid]').getAttribute('open'))) await page.locator('[data-testid=segment-grid] summary').click();
    await page.locator('[data-testid=segment-grid]').getByRole('button', { name: 'Reset to the default rules' }).click();
    await until(page, async () => (await segmentOf()) === was, `${id} back in ${was}`);
    assert.deepEqual((await app.segmentRows()).map((x) => x.customers), before.map((x) => x.customers));
    await app.assertClean();
  } finally {
    await app.close();
  }
});
