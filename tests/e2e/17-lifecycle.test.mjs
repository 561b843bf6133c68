// 17. Lifecycle on the demo: cohorts by month equal a count made here from the demo file (cohort
// sizes, the share active one month later); weeks; a split by region with one matrix per region
// and the group picker; both charts drawn; the export; Chinese; zero requests after the file was
// chosen.

import fs from 'node:fs';
import path from 'node:path';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp, until, csvRows, REPO, FIXTURES, REPORT_TIMEOUT } from './harness.mjs';

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

/** The demo's orders counted here: one entry per customer and order id with its earliest day, its
 * net and whether it has a return line. */
function demoOrders() {
  const rows = csvRows(fs.readFileSync(path.join(REPO, 'public/demo/transactions.csv'), 'utf8'));
  const header = rows.shift();
  const [c, o, d, a] = ['customer_id', 'order_id', 'date', 'amount'].map((h) => header.indexOf(h));
  const orders = new Map();
  for (const r of rows) {
    const key = `${r[c]}\u0000${r[o]}`;
    const x = orders.get(key) || { customer: r[c], day: r[d], net: 0, returns: false };
    x.net += Number(r[a]);
    if (Number(r[a]) < 0) x.returns = true;
    if (r[d] < x.day) x.day = r[d];
    orders.set(key, x);
  }
  return [...orders.values()];
}

/** Whether an order is a purchase (the engine's rule: a positive net, or 0 without a return). */
const isPurchase = (x) => x.net > 0 || (x.net === 0 && !x.returns);

/** Month cohorts counted here: customer → sorted purchase months (orders netting above 0). */
function demoMonths() {
  const months = new Map();
  for (const x of demoOrders()) {
    if (!isPurchase(x)) continue;
    const m = Number(x.day.slice(0, 4)) * 12 + Number(x.day.slice(5, 7)) - 1;
    if (!months.has(x.customer)) months.set(x.customer, new Set());
    months.get(x.customer).add(m);
  }
  return months;
}

async function idle(page) {
  await until(page, async () => (await page.locator('[data-testid=progress]').count()) === 0 || null, 'job done', REPORT_TIMEOUT);
}

test('lifecycle: cohorts by month and week, split by region, charts, export, Chinese', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.analyseDemo();
    await app.go('lifecycle');
    await page.locator('[data-testid=cohorts-run]').click();
    await page.locator('[data-testid=cohort-table]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await idle(page);

    // Cohort sizes and the share active one month later, against the count made here.
    const months = demoMonths();
    const label = (m) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
    const expected = new Map();
    for (const set of months.values()) {
      const first = Math.min(...set);
      const e = expected.get(label(first)) || { customers: 0, next: 0 };
      e.customers += 1;
      if (set.has(first + 1)) e.next += 1;
      expected.set(label(first), e);
    }
    const rows = await page.locator('[data-testid=cohort-table] tbody tr[data-cohort]').evaluateAll((rs) => rs.map((r) => ({
      cohort: r.getAttribute('data-cohort'),
      customers: Number(r.getAttribute('data-customers')),
      active: [...r.querySelectorAll('td[data-active]')].map((td) => Number(td.getAttribute('data-active'))),
    })));
    assert.deepEqual(rows.map((r) => r.cohort), [...expected.keys()].sort(), 'one row per first-purchase month');
    for (const r of rows) {
      const e = expected.get(r.cohort);
      assert.equal(r.customers, e.customers, `${r.cohort} size`);
      assert.equal(r.active[0], e.customers, `${r.cohort} all active at +0`);
      if (r.active.length > 1) assert.equal(r.active[1], e.next, `${r.cohort} active at +1`);
    }

    for (const name of ['cohorts-heatmap', 'cohorts-curves']) {
      const fig = page.locator(`[data-testid=chart-${name}]`);
      await fig.scrollIntoViewIfNeeded();
      await until(page, async () => Number(await fig.getAttribute('data-drawn')) > 0 || null, `${name} drawn`);
    }

    // The export: the columns, one row per cohort and period.
    const [d] = await Promise.all([
      page.waitForEvent('download', { timeout: REPORT_TIMEOUT }),
      page.locator('[data-testid=export-cohorts]').click(),
    ]);
    let text = fs.readFileSync(await d.path(), 'utf8').replace(/^\ufeff/, '');
    const lines = csvRows(text);
    assert.deepEqual(lines[0].slice(0, 7), ['cohort', 'period', 'customers', 'active_customers', 'active_share', 'orders', 'revenue']);
    assert.equal(lines.length - 1, rows.reduce((n, r) => n + r.active.length, 0));

    // A cohort opens the customer table on its customers.
    const second = rows[1];
    await page.locator(`[data-testid=cohort-table] tr[data-cohort="${second.cohort}"] [data-testid=cohort-open]`).click();
    await until(page, async () => Number(await app.value('customer-count')) === second.customers || null, `cohort ${second.cohort}: ${second.customers}`);
    await app.go('lifecycle');

    // Weeks, then a split by region with the group picker.
    await page.locator('[data-testid=cohorts-period]').selectOption('week');
    await page.locator('[data-testid=cohorts-run]').click();
    await until(page, async () => /^\d{4}-\d{2}-\d{2}$/.test(await page.locator('[data-testid=cohort-table] tbody tr[data-cohort]').first().getAttribute('data-cohort')) || null, 'week cohorts');
    await page.locator('[data-testid=cohorts-period]').selectOption('month');
    await page.locator('[data-testid=cohorts-split]').selectOption('region');
    await page.locator('[data-testid=cohorts-run]').click();
    await page.locator('[data-testid=cohorts-group]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await idle(page);
    const all = await page.locator('[data-testid=cohort-table] tbody tr[data-cohort]').evaluateAll((rs) => rs.reduce((n, r) => n + Number(r.getAttribute('data-customers')), 0));
    await page.locator('[data-testid=cohorts-group]').selectOption('1');
    await until(page, async () => {
      const n = await page.locator('[data-testid=cohort-table] tbody tr[data-cohort]').evaluateAll((rs) => rs.reduce((s, r) => s + Number(r.getAttribute('data-customers')), 0));
      return n > 0 && n < all ? n : null;
    }, 'one region\'s cohorts');

    // A split whose column the file lacks: named, the cohorts stay.
    await page.locator('[data-testid=cohorts-split]').selectOption('category');
    await page.locator('[data-testid=cohorts-run]').click();
    assert.match(await app.errorText(), /no category column/);
    assert.ok(await page.locator('[data-testid=cohort-table]').isVisible());

    // Repurchase cycles: the items' medians, the curve drawn, the due list and its export.
    await page.locator('[data-testid=repurchase-run]').click();
    await page.locator('[data-testid=repurchase-items]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await idle(page);
    const items = await page.locator('[data-testid=repurchase-items] tbody tr').count();
    assert.ok(items > 0, 'items with repeat purchases');
    const fig = page.locator('[data-testid=chart-repurchase-curves]');
    await fig.scrollIntoViewIfNeeded();
    await until(page, async () => Number(await fig.getAttribute('data-drawn')) > 0 || null, 'repurchase curves drawn');
    const due = Number(await page.locator('[data-testid=repurchase-summary]').getAttribute('data-due'));
    const [dd] = await Promise.all([
      page.waitForEvent('download', { timeout: REPORT_TIMEOUT }),
      page.locator('[data-testid=export-due]').click(),
    ]);
    const dueRows = csvRows(fs.readFileSync(await dd.path(), 'utf8').replace(/^\ufeff/, ''));
    assert.deepEqual(dueRows[0], ['customer_id', 'item', 'last_purchase', 'expected_date', 'days_overdue', 'own_intervals']);
    assert.equal(dueRows.length - 1, due, 'one row per customer due');
    // A window out of range is named; the cycles on screen stay.
    await page.locator('[data-testid=repurchase-window]').fill('400');
    await page.locator('[data-testid=repurchase-window]').dispatchEvent('change');
    await page.locator('[data-testid=repurchase-run]').click();
    assert.match(await app.errorText(), /0 to 365 days/);
    assert.equal(await page.locator('[data-testid=repurchase-items] tbody tr').count(), items);

    await page.locator('[data-testid=lang-toggle]').click();
    await until(page, async () => /同期群/.test(await page.locator('[data-testid=cohorts] h2').textContent()) || null, 'Chinese title');
    await page.locator('[data-testid=lang-toggle]').click();

    await app.assertClean({ allowAfterFile: [(r) => r.url === server.url + 'demo/transactions.csv' || r.url === server.url + 'demo/customers.csv' || r.url === server.url + 'demo/campaign.csv'] });
  } finally {
    await app.close();
  }
});

/** Each customer's net spend over (from, to] (ISO days), counted here from the demo file, and
 * whether they had a purchase order there. */
function demoSpend(from, to) {
  const spend = new Map();
  for (const x of demoOrders()) {
    if (!(x.day > from && x.day <= to)) continue;
    const s = spend.get(x.customer) || { net: 0, active: false };
    s.net += x.net;
    if (isPurchase(x)) s.active = true;
    spend.set(x.customer, s);
  }
  return spend;
}

test('lifecycle: membership tiers counted here, edited at once, opened in the customer table; the due list opens there too', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.analyseDemo();
    await app.go('lifecycle');
    await page.locator('[data-testid=tiers-run]').click();
    await page.locator('[data-testid=tier-table]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await idle(page);

    // The demo's as-of day is 2024-12-31: the window is (2023-12-31, 2024-12-31].
    const spend = demoSpend('2023-12-31', '2024-12-31');
    const countTiers = (thresholds) => {
      const counts = new Array(thresholds.length + 1).fill(0);
      for (const s of spend.values()) {
        if (!s.active) continue;
        counts[thresholds.filter((t) => t <= Math.max(s.net, 0)).length] += 1;
      }
      return counts;
    };
    const shown = async () => page.locator('[data-testid=tier-table] tbody tr').evaluateAll((rs) => rs
      .map((r) => [Number(r.getAttribute('data-tier')), Number(r.getAttribute('data-customers'))])
      .sort((a, b) => a[0] - b[0]).map((x) => x[1]));
    const thresholds = async () => page.locator('[data-testid=tier-thresholds] input').evaluateAll((is) => is.map((i) => Number(i.value.replace(/,/g, ''))));
    const suggested = await thresholds();
    assert.equal(suggested.length, 3, 'three suggested thresholds');
    assert.deepEqual(await shown(), countTiers(suggested), 'tiers as counted here');

    // An edit re-assigns without pressing a button.
    await page.locator('[data-testid=tier-threshold-1]').fill('50');
    const edited = [50, ...suggested.slice(1)];
    await until(page, async () => JSON.stringify(await shown()) === JSON.stringify(countTiers(edited)) || null, 'tiers after an edit');

    // Out of order: named, the tiers on screen stay.
    await page.locator('[data-testid=tier-threshold-2]').fill('10');
    assert.match(await app.errorText(), /Threshold 2 \(10\) must be above threshold 1 \(50\)/);
    assert.deepEqual(await shown(), countTiers(edited));
    await page.locator('[data-testid=tier-suggest]').click();
    await until(page, async () => JSON.stringify(await thresholds()) === JSON.stringify(suggested) || null, 'suggested again');
    await idle(page);

    // The export: one row per customer who ever bought.
    const [d] = await Promise.all([
      page.waitForEvent('download', { timeout: REPORT_TIMEOUT }),
      page.locator('[data-testid=export-tiers]').click(),
    ]);
    const lines = csvRows(fs.readFileSync(await d.path(), 'utf8').replace(/^\ufeff/, ''));
    assert.deepEqual(lines[0], ['customer_id', 'spend_before', 'tier_before', 'spend_now', 'tier_now', 'movement']);
    const top = countTiers(suggested)[3];
    assert.equal(lines.filter((l) => l[4] === 'Platinum').length, top, 'Platinum rows');

    // A tier opens the customer table filtered on it; a movement too.
    await page.locator('[data-testid=tier-open-3]').click();
    await until(page, async () => Number(await app.value('customer-count')) === top || null, `customer-count ${top}`);
    await app.go('lifecycle');
    const lapsed = Number(await page.locator('[data-testid=tier-movements] [data-movement=lapsed]').getAttribute('data-count'));
    assert.ok(lapsed > 0);
    await page.locator('[data-testid=tier-movements] [data-movement=lapsed]').click();
    await until(page, async () => Number(await app.value('customer-count')) === lapsed || null, `lapsed ${lapsed}`);

    // The due list opens the customer table on the customers due.
    await app.go('lifecycle');
    await page.locator('[data-testid=repurchase-run]').click();
    await page.locator('[data-testid=due-table]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await idle(page);
    const [dd] = await Promise.all([
      page.waitForEvent('download', { timeout: REPORT_TIMEOUT }),
      page.locator('[data-testid=export-due]').click(),
    ]);
    const dueCustomers = new Set(csvRows(fs.readFileSync(await dd.path(), 'utf8').replace(/^\ufeff/, '')).slice(1).map((r) => r[0]));
    await page.locator('[data-testid=due-open-table]').click();
    await until(page, async () => Number(await app.value('customer-count')) === dueCustomers.size || null, `due customers ${dueCustomers.size}`);

    await app.assertClean({ allowAfterFile: [(r) => r.url === server.url + 'demo/transactions.csv' || r.url === server.url + 'demo/customers.csv' || r.url === server.url + 'demo/campaign.csv'] });
  } finally {
    await app.close();
  }
});

test('lifecycle: send times from a file with times (planted hours found, a best hour opens the table), the demo without times, the forecast', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    // 20 customers buy on Mondays around 09:00, 10 on Saturdays around 20:00 (12 weeks each).
    await app.analyse(path.join(FIXTURES, 'times.csv'));
    await app.go('lifecycle');
    await page.locator('[data-testid=sendtime-run]').click();
    await page.locator('[data-testid=sendtime-summary]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await idle(page);
    assert.equal(await page.locator('[data-testid=sendtime-summary]').getAttribute('data-has-times'), 'true');
    const hours = await page.locator('[data-testid=sendtime-hours] [data-hour]').evaluateAll((bs) => bs.map((b) => [Number(b.getAttribute('data-hour')), Number(b.getAttribute('data-count'))]));
    assert.deepEqual(hours, [[9, 20], [20, 10]]);
    const fig = page.locator('[data-testid=chart-sendtime-heatmap]');
    await fig.scrollIntoViewIfNeeded();
    await until(page, async () => Number(await fig.getAttribute('data-drawn')) > 0 || null, 'heatmap drawn');
    const [d] = await Promise.all([
      page.waitForEvent('download', { timeout: REPORT_TIMEOUT }),
      page.locator('[data-testid=export-sendtime]').click(),
    ]);
    const rows = csvRows(fs.readFileSync(await d.path(), 'utf8').replace(/^\ufeff/, ''));
    assert.equal(rows.length - 1, 30);
    assert.ok(rows.slice(1).every((r) => (r[0] < 'C20' ? r[4] === 'monday' && r[6] === '9' : r[4] === 'saturday' && r[6] === '20')), 'planted weekday and hour per customer');
    await page.locator('[data-testid=sendtime-hours] [data-hour="20"]').click();
    await until(page, async () => Number(await app.value('customer-count')) === 10 || null, 'customers best reached at 20:00');

    // The demo has dates only: weekdays, said.
    await page.locator('[data-testid=new-file]').click();
    await app.analyseDemo();
    await app.go('lifecycle');
    await page.locator('[data-testid=sendtime-run]').click();
    await page.locator('[data-testid=sendtime-no-times]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await idle(page);
    assert.equal(await page.locator('[data-testid=sendtime-hours] [data-hour]').count(), 0);
    const weekdays = await page.locator('[data-testid=sendtime-weekdays] [data-weekday]').evaluateAll((bs) => bs.reduce((n, b) => n + Number(b.getAttribute('data-count')), 0));
    assert.equal(weekdays, 2000, 'every demo customer has a best weekday');

    // The forecast: 12 months ahead, intervals in order, a horizon past the history named.
    await page.locator('[data-testid=forecast-run]').click();
    await page.locator('[data-testid=forecast-table]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await idle(page);
    const points = await page.locator('[data-testid=forecast-table] tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-period')));
    assert.deepEqual(points, ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
    assert.match(await page.locator('[data-testid=forecast-summary]').getAttribute('data-model'), /^ETS\([AM],(N|A|Ad),(N|A|M)\)$/);
    const chart = page.locator('[data-testid=chart-forecast]');
    await chart.scrollIntoViewIfNeeded();
    await until(page, async () => Number(await chart.getAttribute('data-drawn')) > 0 || null, 'forecast drawn');
    const [fd] = await Promise.all([
      page.waitForEvent('download', { timeout: REPORT_TIMEOUT }),
      page.locator('[data-testid=export-forecast]').click(),
    ]);
    const lines = csvRows(fs.readFileSync(await fd.path(), 'utf8').replace(/^\ufeff/, ''));
    assert.equal(lines.length - 1, 24 + 12, '24 months of history and 12 ahead');
    await page.locator('[data-testid=forecast-horizon]').fill('40');
    await page.locator('[data-testid=forecast-horizon]').dispatchEvent('change');
    await page.locator('[data-testid=forecast-run]').click();
    assert.match(await app.errorText(), /40 periods is longer than the 24 periods of history/);
    assert.equal(await page.locator('[data-testid=forecast-table] tbody tr').count(), 12, 'the forecast on screen stays');

    await app.assertClean({ allowAfterFile: [(r) => r.url === server.url + 'demo/transactions.csv' || r.url === server.url + 'demo/customers.csv' || r.url === server.url + 'demo/campaign.csv'] });
  } finally {
    await app.close();
  }
});
