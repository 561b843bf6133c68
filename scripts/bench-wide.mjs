#!/usr/bin/env node
// A wide file in headless Chromium: the longest task on the page's main thread while a
// 10,000-column file is previewed (choose → mapping shown) and while it is analysed (Analyse →
// dashboard), from the browser's Long Tasks API (tasks of 50 ms or more; none = under 50 ms).
//
//   node scripts/bench-wide.mjs [--columns 10000] [--rows 200] [--runs 3] [--dist DIR]
//
// Serves dist/ (run scripts/build first) with the e2e harness; prints one line per run and the
// medians. The figures before the change: 13 s at the preview, 15 s at Analyse.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, openApp } from '../tests/e2e/harness.mjs';

const args = Object.fromEntries(process.argv.slice(2).join(' ').split('--').filter(Boolean)
  .map((a) => a.trim().split(/\s+/)));
const columns = Number(args.columns ?? 10000);
const rows = Number(args.rows ?? 200);
const runs = Number(args.runs ?? 3);

function wideCsv() {
  const header = ['customer_id', 'date'];
  for (let i = 2; i < columns - 1; i++) header.push(`attr_${i}`);
  header.push('amount');
  const lines = [header.join(',')];
  for (let r = 0; r < rows; r++) {
    const cells = [`c${r % 50}`, `2024-0${1 + (r % 9)}-1${r % 10}`];
    for (let i = 2; i < columns - 1; i++) cells.push(String((r + i) % 97));
    cells.push(((r % 40) + 0.5).toFixed(2));
    lines.push(cells.join(','));
  }
  return Buffer.from(lines.join('\n') + '\n');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const buffer = wideCsv();
// Chosen by path: a buffer handed to the file input is copied into the renderer by the test
// driver, itself a main-thread task of about half a second for 5 MB.
const file = path.join(os.tmpdir(), `segscope-wide-${columns}x${rows}.csv`);
fs.writeFileSync(file, buffer);
const browser = await launchBrowser();
const server = await startServer(args.dist ? { root: path.resolve(args.dist) } : {});
const preview = [];
const analyse = [];
try {
  for (let run = 0; run < runs; run++) {
    const app = await openApp(browser, server);
    const { page } = app;
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    await app.goto();
    const longest = async () => page.evaluate(() => {
      const max = Math.max(0, ...window.__longTasks);
      window.__longTasks = [];
      return max;
    });
    await longest();
    await app.upload(file);
    await page.waitForTimeout(200);
    const p = await longest();
    await app.confirm();
    await page.waitForTimeout(200);
    const a = await longest();
    preview.push(p);
    analyse.push(a);
    console.log(JSON.stringify({ run, columns, rows, bytes: buffer.length, preview_longest_task_ms: p, analyse_longest_task_ms: a }));
    await app.close();
  }
  console.log(`SUMMARY columns=${columns} rows=${rows} median longest task: preview ${median(preview)} ms, analyse ${median(analyse)} ms (0 = no task of 50 ms or more)`);
} finally {
  await browser.close();
  await server.close();
}
