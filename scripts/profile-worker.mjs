#!/usr/bin/env node
// CPU profile of the worker for one analysis: opens the page (a built bundle), waits for the
// worker's rehearsal to end, chooses FILE, starts V8's sampling profiler in the worker (the
// DevTools protocol's Profiler, reached through Target.setAutoAttach), clicks Analyse, stops at
// the drawn dashboard, and prints the functions by self time.
//
//   node scripts/profile-worker.mjs --dist DIR --csv FILE [--out profile.cpuprofile] [--top N]
//
// The release bundle has no function names (wasm-opt drops them). For names, rebuild the
// worker's wasm with them kept and put it in a copy of the bundle:
//   wasm-bindgen --target no-modules --no-typescript --out-dir /tmp/w --out-name worker \
//     target/wasm32-unknown-unknown/release/worker.wasm
//   wasm-opt -O3 -g /tmp/w/worker_bg.wasm -o DIR/worker_bg.wasm --enable-bulk-memory \
//     --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
// (the same wasm-bindgen as the bundle's, so the JavaScript glue matches). An attached profiler
// slows the worker; compare self-time shares, not times with scripts/bench-browser.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { serveDist, workerChannel } from './measure-kit.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repo, 'tests', 'e2e', 'node_modules', 'x.js'));
const { chromium } = require('playwright-core');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!args.dist || !args.csv) {
  console.error('usage: node scripts/profile-worker.mjs --dist DIR --csv FILE [--out F] [--top N]');
  process.exit(2);
}
const dist = path.resolve(args.dist);
const server = await serveDist(dist);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('[data-testid=upload-input]', { state: 'attached' });
  await page.waitForTimeout(1500); // the worker's rehearsal
  const cdp = await page.context().newCDPSession(page);
  const channel = workerChannel(cdp);
  const send = channel.send;
  cdp.on('Target.attachedToTarget', e => { if (e.targetInfo.type === 'worker') channel.worker = e.sessionId; });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  for (let i = 0; i < 100 && !channel.worker; i++) await page.waitForTimeout(50);
  if (!channel.worker) throw new Error('no worker target');
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 250 });
  await page.setInputFiles('[data-testid=upload-input]', args.csv);
  await page.waitForSelector('[data-testid=mapping-confirm]', { state: 'visible', timeout: 60000 });
  await page.waitForTimeout(300);
  await send('Profiler.start');
  const t0 = Date.now();
  await page.click('[data-testid=mapping-confirm]');
  await page.waitForSelector('[data-testid=report-ready]', { state: 'attached', timeout: 600000 });
  const wall = Date.now() - t0;
  const { result } = await send('Profiler.stop');
  const profile = result.profile;
  if (args.out) fs.writeFileSync(args.out, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((s, i) => {
    const f = byId.get(s).callFrame;
    const name = f.functionName || f.url || '?';
    self.set(name, (self.get(name) || 0) + profile.timeDeltas[i] / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`click → drawn ${wall} ms (profiler attached); ${total.toFixed(0)} ms sampled`);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, +(args.top || 30))) {
    console.log(`${ms.toFixed(1).padStart(8)} ms ${(100 * ms / total).toFixed(1).padStart(5)} %  ${name.slice(0, 120)}`);
  }
} finally {
  await browser.close();
  server.close();
}
