// 6. Bad input: each failure gets a clear message in the error panel naming the problem and where,
// and the mapping problems can be fixed in place, without reloading.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { startServer, launchBrowser, openApp, FIXTURES } from './harness.mjs';

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

const file = (name, content) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });

test('empty, header-only and binary files: a clear message, back on the upload screen', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    const cases = [
      [file('empty.csv', ''), /^The file is empty\.$/],
      [file('blank.csv', '\n  \n\n'), /^The file is empty\.$/],
      [file('header.csv', 'customer_id,date,amount\n'), /^The file has a header row but no data rows\.$/],
      // A PNG renamed .csv: the signature's 0x1A/NUL bytes are binary.
      [{ name: 'data.csv', mimeType: 'text/csv', buffer: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex') },
        /neither a text table nor an Excel or OpenDocument workbook \(binary data near byte \d+\).*choose the encoding below/],
    ];
    for (const [input, expected] of cases) {
      await app.upload(input, { expectMapping: false });
      const message = await app.errorText();
      assert.match(message, expected, `${input.name}: ${message}`);
      // Back on the upload screen, no mapping, no dashboard.
      await page.locator('[data-testid=upload-input]').waitFor({ state: 'attached' });
      assert.equal(await page.locator('[data-testid=mapping]').count(), 0);
      assert.equal(await page.locator('[data-testid=report-ready]').count(), 0);
      await page.getByRole('button', { name: 'Dismiss' }).click();
      await page.locator('[data-testid=error-panel]').waitFor({ state: 'detached' });
    }
    await app.assertClean();
  } finally {
    await app.close();
  }
});

test('amount column of text: message with line and value, fixed by remapping without reloading', async () => {
  // fixtures/bad-amount.csv: `customer_id,date,amount,paid`; “amount” holds words (ten, twenty,
  // n/a, thirty, five) on 5 of 6 rows, “paid” the numbers.
  // With “paid” as the amount: customers C1..C5 = 5; no order ids, so orders are customer-days:
  // C1 ×2 (01-05, 02-01), C2, C3, C4, C5 = 6; revenue 10 + 20 + 30 + 30 + 5 + 12.50 = 107.50.
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.upload(path.join(FIXTURES, 'bad-amount.csv'));
    assert.deepEqual(await app.roles(), ['customer_id', 'date', 'amount', '']);
    await page.locator('[data-testid=mapping-confirm]').click();
    const message = await app.errorText();
    assert.match(message, /^5 of 6 rows could not be used\./, message);
    assert.match(message, /not a number in column “amount”/, message);
    assert.match(message, /line 2: “ten”/, message);
    assert.ok(await page.locator('[data-testid=mapping]').isVisible(), 'still on the mapping');
    assert.equal(await page.locator('[data-testid=report-ready]').count(), 0);

    // Fix: the amount is the “paid” column.
    await page.locator('[data-testid=role-select-3]').selectOption('amount');
    assert.deepEqual(await app.roles(), ['customer_id', 'date', '', 'amount'], 'a role belongs to one column');
    await app.confirm();
    assert.equal(await page.locator('[data-testid=error-panel]').count(), 0, 'the error is gone');
    assert.equal(await app.number('q-rows-dropped'), 0);
    assert.equal(await app.number('kpi-customers'), 5);
    assert.equal(await app.number('kpi-orders'), 6);
    assert.equal(await app.number('kpi-revenue'), 107.5);
    await app.assertClean();
  } finally {
    await app.close();
  }
});

test('ambiguous D/M/Y head: the day-first guess fails with a line number, month-first makes it valid', async () => {
  // 200 rows whose dates fit both orders (both numbers ≤ 12: all the preview samples), then 300
  // rows that only fit month/day/year (second number 13..28). Read day-first, 300 of 500 rows are
  // not dates (first: line 202, “01/13/2024”); read month-first, all 500 are kept.
  const pad = (n) => String(n).padStart(2, '0');
  const rows = [];
  const isoDays = [];
  for (let i = 0; i < 200; i++) {
    const [m, d] = [1 + (i % 12), 1 + ((i * 7) % 12)];
    rows.push(`C${i % 50},${pad(m)}/${pad(d)}/2024,${10 + (i % 5)}.50`);
    isoDays.push(`2024-${pad(m)}-${pad(d)}`);
  }
  for (let i = 0; i < 300; i++) {
    const [m, d] = [1 + (i % 12), 13 + (i % 16)];
    rows.push(`C${i % 50},${pad(m)}/${pad(d)}/2024,${10 + (i % 5)}.50`);
    isoDays.push(`2024-${pad(m)}-${pad(d)}`);
  }
  isoDays.sort();
  const csv = 'customer_id,date,amount\n' + rows.join('\n') + '\n';
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.upload(file('dates.csv', csv));
    assert.ok(await page.locator('[data-testid=date-order-warning]').isVisible(), 'the ambiguity is flagged');
    assert.equal(await page.locator('[data-testid=date-order-select]').inputValue(), 'dmy', 'day-first guessed');
    await page.locator('[data-testid=mapping-confirm]').click();
    const message = await app.errorText();
    assert.match(message, /^300 of 500 rows could not be used\./, message);
    assert.match(message, /not a date in column “date”/, message);
    assert.match(message, /line 202: “01\/13\/2024”/, message);
    assert.match(message, /date order/, 'the message points at the date order');

    await page.locator('[data-testid=date-order-select]').selectOption('mdy');
    await app.confirm();
    assert.equal(await app.number('q-rows-read'), 500);
    assert.equal(await app.number('q-rows-kept'), 500);
    assert.equal(await app.number('q-rows-dropped'), 0);
    assert.equal(await app.value('q-date-range'), `${isoDays[0]} – ${isoDays.at(-1)}`);
    assert.equal(await app.number('kpi-customers'), 50);
    await app.assertClean();
  } finally {
    await app.close();
  }
});

// Regression ("Numbers you can trust"): a quote opened in a cell and never closed swallowed the
// rest of the file ("30 read, 30 kept, 0 dropped" for 300 rows); an amount of 1e307 killed the
// analysis on the wire; a 9999-12-31 date moved every recency by millennia. Now every line is
// read, the quote's line is named, and the implausible lines are listed as drops.
test('a stray quote, an amount of 1e307 and a 9999 date: every line accounted for, each named', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    const lines = ['customer_id,date,amount,product'];
    for (let i = 0; i < 300; i++) {
      let line = `C${i % 40},2024-01-${String(1 + (i % 28)).padStart(2, '0')},${10 + (i % 7)}.50,P${i % 5}`;
      if (i === 9) line = 'C3,2024-01-05,1e307,P1';
      if (i === 10) line = 'C3,9999-12-31,5.00,P1';
      if (i === 29) line = 'C7,2024-01-05,"12.50,P1';
      lines.push(line);
    }
    await app.analyse(file('hostile.csv', lines.join('\n') + '\n'));
    assert.equal(await app.number('q-rows-read'), 300);
    assert.equal(await app.number('q-rows-kept'), 298);
    const repair = page.locator('[data-testid=quote-repair]');
    assert.equal(await repair.getAttribute('data-line'), '31');
    assert.match(await repair.textContent(), /Line 31 opens a quote/);
    const reasons = await page.locator('[data-testid=drop-reason]').evaluateAll((els) => els.map((e) => e.getAttribute('data-reason')).sort());
    assert.deepEqual(reasons, ['ImplausibleAmount', 'ImplausibleDate']);
    const revenue = await app.number('kpi-revenue');
    assert.ok(revenue > 0 && revenue < 1e6, `revenue ${revenue}`);
    await app.assertClean();
  } finally {
    await app.close();
  }
});

// Regression ("Numbers you can trust"): a stray 2090 (or a 1900-01-01 placeholder) in a 2024
// file moved the as-of date and every recency by decades. Now such a line is dropped and listed,
// with the range kept, and a switch reads the file again keeping it.
test('a date far from the others: dropped and listed, kept with the switch', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    const lines = ['customer_id,date,amount'];
    for (let i = 0; i < 100; i++) lines.push(`C${i % 20},2024-0${1 + (i % 6)}-${String(1 + (i % 28)).padStart(2, '0')},${10 + (i % 7)}.50`);
    lines.push('C1,2090-03-01,8.00');
    await app.analyse(file('far.csv', lines.join('\n') + '\n'));
    assert.equal(await app.number('q-rows-kept'), 100);
    assert.equal(await page.locator('[data-testid=far-dates]').getAttribute('data-lines'), '1');
    const far = page.locator('[data-testid=drop-reason][data-reason=FarFromOtherDates]');
    assert.equal(await far.getAttribute('data-count'), '1');
    assert.match(await far.textContent(), /line 102/);
    assert.equal(await page.locator('[data-testid=as-of-input]').inputValue(), '2024-06-29');
    await page.locator('[data-testid=keep-far-dates]').check();
    await page.locator('[data-testid=q-rows-kept][data-value="101"]').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('[data-testid=keep-far-dates]').isChecked(), true);
    assert.equal(await page.locator('[data-testid=as-of-input]').inputValue(), '2090-03-02');
    await app.assertClean();
  } finally {
    await app.close();
  }
});

// Limits ("Numbers you can trust"): a 3.1 GB file died at 80–90 % with "RuntimeError:
// unreachable". Now a file past the tab's limit is refused before anything is read, with a
// message that names its size and points to the CLI. (A sparse file: no disk space used.)
test('a file too big for a tab is refused up front, pointing to the command line', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segscope-e2e-'));
  const big = path.join(dir, 'huge.csv');
  const fd = fs.openSync(big, 'w');
  fs.writeSync(fd, 'customer_id,date,amount\nC1,2024-01-01,1\n');
  fs.ftruncateSync(fd, 3_100_000_000);
  fs.closeSync(fd);
  const app = await openApp(browser, server);
  try {
    await app.goto();
    await app.upload(big, { expectMapping: false });
    const message = await app.errorText();
    assert.match(message, /This file \(2\.9 GB\) is too big for a browser tab/, message);
    assert.match(message, /segscope rfm/, message);
    assert.equal(await app.page.locator('[data-testid=mapping]').count(), 0);
    await app.assertClean();
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
