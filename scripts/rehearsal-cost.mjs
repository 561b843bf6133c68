#!/usr/bin/env node
// What the worker's rehearsal (crates/engine/src/session/warm.rs) costs: opens the page (a built
// bundle) in headless Chromium, profiles the first worker from its very start (V8's sampling
// profiler through the DevTools protocol, the worker held until the profiler runs), waits while
// nobody asks anything, and prints the worker's busy time (start-up included), when it went quiet,
// and its longest stretch without an idle sample, with what filled it. The rehearsal's rounds
// let the event loop through between them without going idle, so a message waits at most one
// round, less than that stretch.
//
//   node scripts/rehearsal-cost.mjs --dist DIR [--wait-ms 6000] [--loads 3]
//
// An attached profiler slows the worker somewhat: the figures are upper bounds.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { serveDist, workerChannel } from './measure-kit.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repo, 'tests', 'e2e', 'node_modules', 'x.js'));
const { chromium } = require('playwright-core');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!args.dist) {
  console.error('usage: node scripts/rehearsal-cost.mjs --dist DIR [--wait-ms N] [--loads N]');
  process.exit(2);
}
const dist = path.resolve(args.dist);
const waitMs = Number(args['wait-ms'] || 6000);
const loads = Number(args.loads || 3);
const server = await serveDist(dist);

/// One page load: the worker's busy milliseconds, its longest busy stretch, and when it ended.
async function profileOneLoad(browser) {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  const channel = workerChannel(cdp);
  const send = channel.send;
  let started = null;
  const attached = new Promise(resolve => {
    cdp.on('Target.attachedToTarget', async e => {
      if (e.targetInfo.type !== 'worker' || channel.worker) return;
      channel.worker = e.sessionId;
      await send('Profiler.enable');
      await send('Profiler.setSamplingInterval', { interval: 250 });
      await send('Profiler.start');
      await send('Runtime.runIfWaitingForDebugger');
      started = Date.now();
      resolve();
    });
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await Promise.race([attached, page.waitForTimeout(30000)]);
  if (!channel.worker) throw new Error('no worker target');
  await page.waitForTimeout(waitMs);
  const { result } = await send('Profiler.stop');
  const profile = result.profile;
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  // Busy time, and the longest busy stretch with what filled it (wasm functions have no names
  // in the release bundle: they show as `wasm-function[N]`; `(program)` is V8's own work, such as
  // compiling the module at the start).
  let busy = 0, stretch = 0, longest = 0, t = 0, lastBusyAt = 0;
  let inStretch = new Map(), longestParts = new Map();
  profile.samples.forEach((s, i) => {
    const dt = profile.timeDeltas[i] / 1000;
    t += dt;
    const frame = byId.get(s).callFrame;
    const name = frame.functionName || frame.url || '?';
    if (name === '(idle)') {
      stretch = 0;
      inStretch = new Map();
    } else {
      busy += dt;
      stretch += dt;
      const part = name.startsWith('wasm-function') || frame.url.includes('wasm') ? 'wasm' : name.startsWith('(') ? name : 'js';
      inStretch.set(part, (inStretch.get(part) || 0) + dt);
      if (stretch > longest) { longest = stretch; longestParts = new Map(inStretch); }
      lastBusyAt = t;
    }
  });
  const parts = Object.fromEntries([...longestParts].map(([k, v]) => [k, Math.round(v)]));
  await page.close();
  return { busy_ms: Math.round(busy), longest_stretch_ms: Math.round(longest), longest_stretch_parts_ms: parts,
    last_busy_ms_after_start: Math.round(lastBusyAt), profiled_ms: Math.round(t), started };
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  for (let load = 1; load <= loads; load++) {
    const r = await profileOneLoad(browser);
    delete r.started;
    console.log(JSON.stringify({ load, ...r }));
  }
} finally {
  await browser.close();
  server.close();
}
