// 18. Campaigns on the demo: the demo campaign's results equal GrowthBook's gbstats (the
// reference the engine tests use) and a count made here; the CUPED toggle, the segment forest
// plot, the models and the target list, the exports, the calculator (Evan Miller's 1,030), a
// contact list joined with the transactions counted here, a bad file named, Chinese, and zero
// requests after the file was chosen.

import fs from 'node:fs';
import path from 'node:path';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp, until, csvRows, REPO, REPORT_TIMEOUT } from './harness.mjs';

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

const demoAllowed = (r) => ['transactions', 'customers', 'campaign'].some((f) => r.url === `${server.url}demo/${f}.csv`);
const reference = JSON.parse(fs.readFileSync(path.join(REPO, 'crates/engine/tests/fixtures/experiment/campaign_reference.json'), 'utf8'));

async function idle(page) {
  await until(page, async () => (await page.locator('[data-testid=progress]').count()) === 0 || null, 'job done', REPORT_TIMEOUT);
}

/** The demo campaign's group means counted here. */
function campaignMeans() {
  const rows = csvRows(fs.readFileSync(path.join(REPO, 'public/demo/campaign.csv'), 'utf8'));
  const header = rows.shift();
  const [g, conv] = ['group', 'converted'].map((h) => header.indexOf(h));
  const by = new Map();
  for (const r of rows) {
    const x = by.get(r[g]) || { n: 0, converted: 0 };
    x.n += 1;
    x.converted += Number(r[conv]);
    by.set(r[g], x);
  }
  return by;
}

test('campaigns: the demo campaign against gbstats, CUPED, segments, models, exports, calculator, Chinese', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.analyseDemo();
    const customers = await app.number('kpi-customers');
    await app.go('campaigns');
    await page.locator('[data-testid=demo-campaign]').click();
    await page.locator('[data-testid=campaign-results]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await idle(page);

    // The split and the sample-ratio check.
    const groups = await page.locator('[data-testid=campaign-variants] tbody tr').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-group'), Number(r.getAttribute('data-users'))]));
    assert.deepEqual(groups, reference.groups.map((g, i) => [g, reference.users[i]]), 'control first, counts as gbstats was given');
    assert.equal(await page.locator('[data-testid=srm-banner]').count(), 0, 'no SRM banner on a fair split');
    assert.match(await page.locator('[data-testid=srm-ok]').textContent(), new RegExp(reference.srm_p_value.toFixed(4)));

    // Lift and p-value of each plain result: gbstats' numbers; the lift also from a count here.
    const means = campaignMeans();
    const row = (metric, variant, cuped) => page.locator(`[data-testid=campaign-results] tbody tr[data-metric=${metric}][data-variant=${variant}][data-cuped=${cuped}]`);
    for (const e of reference.plain.filter((x) => x.metric === 'converted')) {
      const r = row(e.metric, e.variant, false);
      assert.ok(Math.abs(Number(await r.getAttribute('data-lift')) - e.relative_lift) < 1e-9, `${e.variant} lift`);
      assert.ok(Math.abs(Number(await r.getAttribute('data-p')) - e.p_value) < 1e-9, `${e.variant} p-value`);
      const t = means.get(e.variant), c = means.get('control');
      assert.ok(Math.abs((t.converted / t.n) / (c.converted / c.n) - 1 - e.relative_lift) < 1e-12, 'lift counted here');
    }
    // CUPED on by default for revenue (it has revenue_pre): the adjusted rows; off: the plain ones.
    assert.equal(await row('revenue', 'coupon', true).count(), 1, 'CUPED row shown');
    const cupedLift = Number(await row('revenue', 'coupon', true).getAttribute('data-lift'));
    const refCuped = reference.cuped.find((x) => x.variant === 'coupon');
    assert.ok(Math.abs(cupedLift - refCuped.relative_lift) < 1e-9, 'CUPED lift as gbstats');
    await page.locator('[data-testid=campaign-cuped]').uncheck();
    assert.equal(await row('revenue', 'coupon', false).count(), 1, 'plain row after the toggle');
    assert.equal(await row('revenue', 'coupon', true).count(), 0);

    // The segment breakdown: its forest plot is drawn; a Holm correction raises p-values.
    const forest = page.locator('[data-testid=chart-campaign-forest]');
    await until(page, async () => Number(await forest.getAttribute('data-drawn')) > 0 || null, 'forest drawn');
    assert.ok(await page.locator('[data-testid=campaign-segments] tbody tr').count() > 3, 'segments listed');

    // The models: the response model's deciles and the target list (the top 3 deciles).
    assert.match(await page.locator('[data-testid=campaign-response]').textContent(), /AUC/);
    assert.equal(await page.locator('[data-testid=campaign-deciles] tbody tr').count(), 10);
    assert.equal(await page.locator('[data-testid=campaign-top-shares] tbody tr').count(), 10);
    for (const name of ['campaign-gain', 'campaign-qini']) {
      const fig = page.locator(`[data-testid=chart-${name}]`);
      await until(page, async () => Number(await fig.getAttribute('data-drawn')) > 0 || null, `${name} drawn`);
    }
    const [targets] = await Promise.all([
      page.waitForEvent('download', { timeout: REPORT_TIMEOUT }),
      page.locator('[data-testid=export-campaign-targets]').click(),
    ]);
    const targetRows = csvRows(fs.readFileSync(await targets.path(), 'utf8').replace(/^\ufeff/, ''));
    assert.deepEqual(targetRows[0], ['customer_id', 'response_score', 'decile']);
    assert.equal(targetRows.length - 1, Math.floor(0.3 * (customers - 1)) + 1, 'the top three deciles of every customer');
    const scores = targetRows.slice(1).map((r) => Number(r[1]));
    assert.ok(scores.every((s, i) => i === 0 || s <= scores[i - 1]), 'best first');

    // The results export has the documented columns, one row per result.
    const [results] = await Promise.all([
      page.waitForEvent('download', { timeout: REPORT_TIMEOUT }),
      page.locator('[data-testid=export-campaign]').click(),
    ]);
    const resultRows = csvRows(fs.readFileSync(await results.path(), 'utf8').replace(/^\ufeff/, ''));
    assert.deepEqual(resultRows[0].slice(0, 4), ['metric', 'variant', 'cuped', 'control_users']);
    assert.equal(resultRows.length - 1, reference.plain.length + reference.cuped.length);

    // Holm over the four plain comparisons: statsmodels' adjusted p-values.
    await page.locator('[data-testid=campaign-correction]').selectOption('holm');
    await page.locator('[data-testid=campaign-run]').click();
    await page.locator('[data-testid=campaign-cuped]').uncheck();
    const plain = reference.plain;
    const first = row(plain[0].metric, plain[0].variant, false);
    await until(page, async () => Math.abs(Number(await first.getAttribute('data-p')) - reference.holm[0]) < 1e-9 || null, 'Holm applied', REPORT_TIMEOUT);
    for (let i = 0; i < plain.length; i++) {
      const p = Number(await row(plain[i].metric, plain[i].variant, false).getAttribute('data-p'));
      assert.ok(Math.abs(p - reference.holm[i]) < 1e-9, `Holm p ${i}`);
    }

    // The calculator: Evan Miller's 20 % baseline, +5 points, 80 % power.
    await page.locator('[data-testid=power-run]').click();
    await until(page, async () => (await page.locator('[data-testid=power-result]').getAttribute('data-per-variation')) || null, 'calculator answered');
    assert.equal(await page.locator('[data-testid=power-result]').getAttribute('data-per-variation'), '1030');
    // A baseline outside 0..100 % is named; the answer on screen stays.
    await page.locator('[data-testid=power-baseline]').fill('120');
    await page.locator('[data-testid=power-baseline]').dispatchEvent('change');
    await page.locator('[data-testid=power-run]').click();
    assert.match(await app.errorText(), /baseline rate/);

    await page.locator('[data-testid=lang-toggle]').click();
    await until(page, async () => /营销活动/.test(await page.locator('[data-testid=campaigns] h2').textContent()) || null, 'Chinese title');
    await page.locator('[data-testid=lang-toggle]').click();
    await app.assertClean({ allowAfterFile: [demoAllowed] });
  } finally {
    await app.close();
  }
});

test('campaigns: a contact list joined with the transactions, counted here; a bad file is named', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.analyseDemo();
    await app.go('campaigns');

    // A contact list of the first 400 demo customers, alternating groups, and two unknown ids.
    const rows = csvRows(fs.readFileSync(path.join(REPO, 'public/demo/transactions.csv'), 'utf8'));
    const header = rows.shift();
    const [c, o, d, a] = ['customer_id', 'order_id', 'date', 'amount'].map((h) => header.indexOf(h));
    const ids = [...new Set(rows.map((r) => r[c]))].slice(0, 400);
    const contacts = ['id,group', ...ids.map((id, i) => `${id},${i % 2 ? 'sms' : 'control'}`), 'nobody-1,control', 'nobody-2,sms'].join('\n');
    // Converted = a purchase order dated in [2024-06-01, 2024-07-01).
    const orders = new Map();
    for (const r of rows) {
      const key = `${r[c]}\u0000${r[o]}`;
      const x = orders.get(key) || { customer: r[c], day: r[d], net: 0, returns: false };
      x.net += Number(r[a]);
      if (Number(r[a]) < 0) x.returns = true;
      if (r[d] < x.day) x.day = r[d];
      orders.set(key, x);
    }
    const converted = new Set([...orders.values()]
      .filter((x) => x.day >= '2024-06-01' && x.day < '2024-07-01' && (x.net > 0 || (x.net === 0 && !x.returns)))
      .map((x) => x.customer));
    const control = ids.filter((_, i) => i % 2 === 0);
    const expectedRate = control.filter((id) => converted.has(id)).length / (control.length + 1);

    await page.locator('[data-testid=campaign-contacts-input]').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(contacts) });
    // Without a start and without dates the page asks for the start.
    assert.match(await app.errorText(), /campaign start/);
    await page.locator('[data-testid=campaign-start]').fill('2024-06-01');
    await page.locator('[data-testid=campaign-window]').fill('30');
    await page.locator('[data-testid=campaign-window]').dispatchEvent('change');
    await page.locator('[data-testid=campaign-run]').click();
    await page.locator('[data-testid=campaign-results]').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT });
    await idle(page);
    assert.match(await page.locator('[data-testid=campaign-contacts]').textContent(), /402 contacts, 400 found.*2 have no transaction/);
    await page.locator('[data-testid=campaign-cuped]').uncheck();
    const r = page.locator('[data-testid=campaign-results] tbody tr[data-metric=converted][data-variant=sms][data-cuped=false]');
    assert.equal(await r.count(), 1);
    const controlMean = Number(await r.locator('td').nth(2).textContent());
    assert.ok(Math.abs(controlMean - expectedRate) < 5e-5, `control conversion ${controlMean} vs ${expectedRate} counted here`);

    // A results file with one group is named.
    await page.locator('[data-testid=campaign-results-input]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('id,group,converted\n1,a,0\n2,a,1\n') });
    assert.match(await app.errorText(), /Only one group/);

    await app.assertClean({ allowAfterFile: [demoAllowed] });
  } finally {
    await app.close();
  }
});
