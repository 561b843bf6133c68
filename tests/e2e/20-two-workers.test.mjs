// 20. Two workers: a file of a few megabytes is read half by the page's worker and half by its
// helper worker, and the dashboard shows the numbers of the file itself (counted here, in the
// test). When the cut near the middle falls inside a quoted cell that spans many lines, the first
// worker refuses the helper's half and reads the rest itself: the same numbers again. Nothing is
// fetched once the file is chosen, and no worker is started.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, openApp } from './harness.mjs';

const LINES = 80_000;
const CUSTOMERS = 2_000;
let browser, server, dir;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segscope-e2e-'));
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A transactions file of LINES lines (two an order), and with `quotedMiddle` one more line whose
 * note is a quoted cell of 4,000 lines placed across the place the file is cut (55 % of it). Returns its path and
 * what the dashboard must show, counted from the lines written. */
function makeFile(name, quotedMiddle) {
  const lines = ['customer_id,order_id,date,amount,note'];
  let cents = 0;
  const customers = new Set();
  const orders = new Set();
  const line = (i) => {
    const c = `K${(i * 7919) % CUSTOMERS}`;
    const order = `R${Math.floor(i / 2)}`;
    const amountCents = 500 + (i % 97) * 125;
    cents += amountCents;
    customers.add(c);
    orders.add(`${c}|${order}`);
    const day = 1 + (i % 28);
    const month = 1 + (Math.floor(i / 28) % 12);
    return `${c},${order},2023-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')},${(amountCents / 100).toFixed(2)},n${i % 5}`;
  };
  const rows = Array.from({ length: LINES }, (_, i) => line(i));
  if (quotedMiddle) {
    // Lines of text, not of fields (lines that look like rows would make it a runaway quote).
    const note = Array.from({ length: 4000 }, (_, k) => `line ${k} of a "long" note`).join('\n');
    const big = `K1,BIG,2023-06-01,12.34,"${note.replaceAll('"', '""')}"`;
    cents += 1234;
    customers.add('K1');
    orders.add('K1|BIG');
    // Placed so that its middle is where the file is cut (55 % of it).
    const total = rows.reduce((n, r) => n + r.length + 1, 0) + big.length + 1;
    let before = 0;
    let at = 0;
    while (before + big.length / 2 < total * 0.55) before += rows[at++].length + 1;
    rows.splice(at, 0, big);
  }
  lines.push(...rows);
  const text = lines.join('\n') + '\n';
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  const read = LINES + (quotedMiddle ? 1 : 0);
  if (quotedMiddle) {
    // The first line feed after 55 % of the file is inside the quoted cell.
    const open = text.indexOf(',"line 0 of a');
    const close = text.indexOf('line 3999 of a ""long"" note"\n');
    const aim = Math.floor(text.length * 0.55);
    assert.ok(open < aim && aim + 10_000 < close, `the cell (${open}..${close}) spans byte ${aim}`);
  }
  assert.ok(text.length > 2 * 1024 * 1024, `${text.length} bytes: over the two-worker threshold`);
  return { file, rows: read, customers: customers.size, orders: orders.size, revenue: cents / 100 };
}

for (const [name, quotedMiddle, way] of [
  ['halves.csv', false, /read by two workers/],
  ['quoted-middle.csv', true, /not joined/],
]) {
  test(`two workers read ${name}: the file's own numbers`, async () => {
    const want = makeFile(name, quotedMiddle);
    const app = await openApp(browser, server);
    const said = [];
    app.page.on('worker', (worker) => worker.on('console', (msg) => said.push(msg.text())));
    try {
      await app.goto();
      const workers = app.log.workers;
      assert.equal(workers, 2, 'the worker and its helper');
      await app.analyse(want.file);
      assert.equal(await app.number('q-rows-read'), want.rows);
      assert.equal(await app.number('q-rows-kept'), want.rows);
      assert.equal(await app.number('q-rows-dropped'), 0);
      assert.equal(await app.number('kpi-customers'), want.customers);
      assert.equal(await app.number('kpi-orders'), want.orders);
      assert.ok(Math.abs(await app.number('kpi-revenue') - want.revenue) < 0.005, `revenue ${want.revenue}`);
      assert.ok(said.some((s) => way.test(s)), `the worker said how it read: ${JSON.stringify(said)}`);
      assert.equal(app.log.workers, workers, 'no worker was started');
      await app.assertClean();
    } finally {
      await app.close();
    }
  });
}
