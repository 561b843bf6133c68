#!/usr/bin/env node
// SegScope in headless Chromium: time from the confirmed column mapping to the drawn dashboard, and
// the peak memory of all Chromium processes, on a real file chosen through <input type=file>.
//
//   node scripts/bench-browser.mjs [--dist /tmp/bench-dist] [--csv /tmp/bench-data/tx_1m.csv] [--runs 3]
//        [--mode timing|crash] [--timeout-s 900] [--duckdb] [--duckdb-runs 3]
//        [--pairs] [--duckdb-modes filehandle,buffer] [--json out.jsonl]
//
// --mode timing (default): N runs, each in a fresh browser context; prints one JSON line per run and
//   a SUMMARY line with medians (t1-t0 measured in Node and in the page, worker ms, phases, memory).
// --mode crash: one run with a long timeout; reports whether the report was drawn, the tab
//   crashed (page 'crash' event), the job failed (error panel shown) or it timed out.
// --pairs: interleave: after each SegScope run, one run of the DuckDB-WASM peer page
//   (/work/shared/bench/duckdb-wasm/index.html, same SQL) per mode in the same browser, with CPU
//   seconds of all Chromium processes (less sensitive to machine load) besides wall times; prints DUCKDB_SUMMARY with
//   per-pair ratios.
// --duckdb: afterwards, run the DuckDB-WASM peer (/work/shared/bench/duckdb-wasm/bench.mjs) on the same
//   file in the same session and print its SUMMARY too.
//
// Memory: every 100 ms, the sum of VmRSS (/proc/PID/status) over all descendants of this Node process
// (the Chromium browser, renderer, GPU and utility processes). RSS sums count shared pages once per
// process, so they overstate; "delta" (peak minus the idle sum just before the file is chosen) is
// the figure to compare with the file size. playwright-core comes from tests/e2e/node_modules.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (!a.startsWith('--')) continue;
  const [k, v] = a.slice(2).split('=');
  if (v !== undefined) args[k] = v;
  else if (i + 1 < process.argv.length && !process.argv[i + 1].startsWith('--')) args[k] = process.argv[++i];
  else args[k] = true;
}
const dist = path.resolve(args.dist || '/tmp/bench-dist');
const csv = path.resolve(args.csv || '/tmp/bench-data/tx_1m.csv');
const mode = args.mode || 'timing';
const runs = mode === 'crash' ? 1 : parseInt(args.runs || '3', 10);
const timeoutMs = parseFloat(args['timeout-s'] || (mode === 'crash' ? '900' : '300')) * 1000;
const require = createRequire(path.join(repo, 'tests', 'e2e', 'node_modules', 'x.js'));
const { chromium } = require('playwright-core');

// ---------------------------------------------------------------------------------------------
// static server
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.map': 'application/json',
};
const peerDir = args['duckdb-dir'] || '/work/shared/bench/duckdb-wasm';
const peerDeps = path.resolve(args['duckdb-deps'] || '/tmp/peers-duckdb-wasm');
// The peer page, with one hook so that the CPU used by DuckDB's start-up can be told apart from
// the query's (the hook runs before the peer starts its query timer).
const peerPage = () => fs.readFileSync(path.join(peerDir, 'index.html'), 'utf8')
  .replace('const conn = await db.connect();', 'const conn = await db.connect();\n  if (window.__phase) await window.__phase();');
const server = http.createServer((req, res) => {
  let url;
  try { url = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400); res.end(); return; }
  if (url === '/duckdb/') { res.writeHead(200, { 'Content-Type': TYPES['.html'] }); res.end(peerPage()); return; }
  const root = url.startsWith('/node_modules/') ? peerDeps : dist;
  let file = path.join(root, url.endsWith('/') ? url + 'index.html' : url);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404); res.end(); return;
  }
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
  fs.createReadStream(file).pipe(res);
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

// ---------------------------------------------------------------------------------------------
// memory of the Chromium process tree
const kinds = new Map();
function kindOf(pid) {
  if (!kinds.has(pid)) {
    let k = 'other';
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const m = cmd.match(/--type=([a-z-]+)/);
      k = m ? m[1] : (cmd.includes('chrom') ? 'browser' : 'other');
      if (k === 'utility') { const s = cmd.match(/--utility-sub-type=([\w.]+)/); if (s) k = 'utility:' + s[1].split('.').pop(); }
    } catch { /* gone */ }
    kinds.set(pid, k);
  }
  return kinds.get(pid);
}
function treeRss() {
  const ppid = new Map(), rss = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      ppid.set(+d, +st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
    } catch { /* gone */ }
  }
  const byKind = {};
  let total = 0;
  for (const pid of ppid.keys()) {
    let p = pid, hops = 0;
    while (p && p !== process.pid && hops++ < 64) p = ppid.get(p);
    if (p !== process.pid || pid === process.pid) continue;
    let kb = 0;
    try {
      const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
      kb = m ? +m[1] : 0;
    } catch { continue; }
    if (rss.has(pid)) continue;
    rss.set(pid, kb);
    total += kb;
    const k = kindOf(pid);
    byKind[k] = (byKind[k] || 0) + kb;
  }
  return { mb: total / 1024, byKind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, Math.round(v / 1024)])) };
}
// CPU seconds (user + system) used so far by the live descendants of this process
const TICK = 100; // USER_HZ on Linux
function treeCpu() {
  const ppid = new Map(), cpu = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      ppid.set(+d, +f[1]); cpu.set(+d, (+f[11] + +f[12]) / TICK);
    } catch { /* gone */ }
  }
  let total = 0;
  for (const [pid, c] of cpu) {
    let p = pid, hops = 0;
    while (p && p !== process.pid && hops++ < 64) p = ppid.get(p);
    if (p === process.pid && pid !== process.pid) total += c;
  }
  return total;
}
let sampling = null;
function startSampling() {
  const s = { peak: 0, peakByKind: {}, samples: 0, timer: null };
  const tick = () => {
    const r = treeRss();
    s.samples++;
    if (r.mb > s.peak) { s.peak = r.mb; s.peakByKind = r.byKind; }
  };
  tick();
  s.timer = setInterval(tick, 100);
  sampling = s;
  return s;
}
function stopSampling(s) { clearInterval(s.timer); if (sampling === s) sampling = null; }

// ---------------------------------------------------------------------------------------------
// in-page instrumentation: arrival time of each worker message, click and report-ready times
const INIT = () => {
  const log = (window.__bench = { msgs: [], click: null, ready: null });
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', e => {
        const t = performance.now();
        const j = e.data && typeof e.data.json === 'string' ? e.data.json : '';
        // Responses nest per feature since protocol 4: {"body":{"Overview":{"Analyzed":{…}}}}.
        const m = j.slice(0, 200).match(/"body":\{(?:"(?:File|Overview|Customers|Predictions|Segments)":\{)?"(\w+)"(?::\{"stage":"(\w+)","done":(\d+),"total":(\d+))?/);
        log.msgs.push({ t, type: m ? m[1] : '?', stage: m && m[2], done: m && +m[3], total: m && +m[4], bytes: j.length,
                        elapsed: m && m[1] === 'Analyzed' ? +((j.match(/"elapsed_ms":([\d.eE+-]+)/) || [])[1]) : undefined });
      });
    }
  };
  document.addEventListener('click', e => {
    const el = e.target && e.target.closest && e.target.closest('[data-testid=mapping-confirm]');
    if (el) log.click = performance.now();
  }, true);
  new MutationObserver(() => {
    if (log.click !== null && log.ready === null && document.querySelector('[data-testid=report-ready]')) log.ready = performance.now();
  }).observe(document, { subtree: true, childList: true });
};

const median = xs => { const s = xs.filter(x => x != null && !Number.isNaN(x)).sort((a, b) => a - b); if (!s.length) return null;
  const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const r1 = x => (x == null ? null : Math.round(x * 10) / 10);
const r2 = x => (x == null || Number.isNaN(x) ? null : Math.round(x * 100) / 100);
const loadavg = () => os.loadavg().map(x => Math.round(x * 100) / 100);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const fileBytes = fs.statSync(csv).size;
const results = [];
const out = args.json ? fs.createWriteStream(args.json, { flags: 'a' }) : null;
const emit = o => { const s = JSON.stringify(o); console.log(s); if (out) out.write(s + '\n'); };

async function oneRun(i) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(INIT);
  const page = await context.newPage();
  const errors = [];
  let crashed = null;
  page.on('pageerror', e => errors.push('pageerror: ' + e.message));
  page.on('console', m => { if (m.type() === 'error') errors.push('console: ' + m.text().slice(0, 300)); });
  const crashP = new Promise(res => page.on('crash', () => { crashed = performance.now(); res('crashed'); }));
  const tLoad0 = performance.now();
  await page.goto(base);
  await page.waitForSelector('[data-testid=upload-input]', { state: 'attached', timeout: 60000 });
  const loadMs = performance.now() - tLoad0;
  await page.waitForTimeout(500); // let the worker start and the page settle
  const idle = treeRss();
  const s = startSampling();
  const load1 = loadavg()[0];
  const tSet = performance.now();
  await page.setInputFiles('[data-testid=upload-input]', csv);
  await page.waitForSelector('[data-testid=mapping-confirm]', { state: 'visible', timeout: 60000 });
  const tPick = performance.now() - tSet;
  const cpu0 = treeCpu();
  const t0 = performance.now();
  await page.click('[data-testid=mapping-confirm]');
  const readyP = page.waitForSelector('[data-testid=report-ready]', { state: 'attached', timeout: timeoutMs })
    .then(() => 'completed', e => (crashed ? 'crashed' : /Timeout/.test(String(e)) ? 'timeout' : 'error: ' + e.message));
  const failP = page.waitForSelector('[data-testid=error-panel]', { state: 'attached', timeout: timeoutMs })
    .then(() => 'failed', () => new Promise(() => {}));
  const outcome = await Promise.race([readyP, crashP, failP]);
  const t1 = performance.now();
  const cpuUsed = treeCpu() - cpu0;
  stopSampling(s);
  const r = { run: i + 1, csv: path.basename(csv), file_mb: r1(fileBytes / 1048576), outcome, load1_at_start: load1,
              page_load_ms: Math.round(loadMs), pick_to_mapping_ms: Math.round(tPick),
              confirm_to_ready_ms: r1(t1 - t0), chromium_cpu_s: r2(cpuUsed) };
  if (outcome === 'completed') {
    r.worker_elapsed_ms = parseFloat(await page.getAttribute('[data-testid=report-ready]', 'data-elapsed-ms'));
    const b = await page.evaluate(() => window.__bench);
    // phases measured in the page, from the click
    const since = t => (t == null ? null : r1(t - b.click));
    const progress = b.msgs.filter(m => b.click !== null && m.t >= b.click && m.type === 'Progress');
    const reading = progress.filter(m => m.stage === 'Reading');
    const scoring = progress.find(m => m.stage === 'Scoring');
    const analyzed = b.msgs.find(m => m.type === 'Analyzed' && m.t >= b.click);
    r.page_click_to_ready_ms = since(b.ready);
    r.first_progress_ms = since(progress[0] && progress[0].t);
    r.last_reading_progress_ms = since(reading.length ? reading[reading.length - 1].t : null);
    r.scoring_start_ms = since(scoring && scoring.t);          // end of ingest (parse) in the worker
    r.analyzed_arrival_ms = since(analyzed && analyzed.t);     // worker done, message received by the page
    r.analyzed_json_kb = analyzed ? Math.round(analyzed.bytes / 1024) : null;
    r.render_after_arrival_ms = b.ready && analyzed ? r1(b.ready - analyzed.t) : null; // decode + DOM + 6 charts
    r.worker_ingest_ms_est = r.scoring_start_ms;
    r.worker_score_ms_est = scoring && analyzed ? r1(analyzed.t - scoring.t) : null;
    r.progress_messages = progress.length;
    // The worker's wasm linear memory never shrinks: its size now is its peak during the job.
    for (const w of page.workers()) {
      const bytes = await w.evaluate(async () => (typeof wasm_bindgen === 'function'
        ? (await wasm_bindgen()).memory.buffer.byteLength : null)).catch(() => null);
      if (bytes) r.worker_wasm_memory_mb = Math.round(bytes / 1048576);
    }
  } else if (outcome === 'failed') {
    r.error = await page.textContent('[data-testid=error-panel]').catch(() => null);
  }
  r.idle_rss_mb = Math.round(idle.mb);
  r.peak_rss_mb = Math.round(s.peak);
  r.peak_minus_idle_mb = Math.round(s.peak - idle.mb);
  r.peak_minus_idle_x_file = Math.round((s.peak - idle.mb) / (fileBytes / 1048576) * 100) / 100;
  r.peak_by_process_type_mb = s.peakByKind;
  r.idle_by_process_type_mb = idle.byKind;
  r.samples = s.samples;
  if (errors.length) { const c = {}; for (const e of errors) c[e.slice(0, 160)] = (c[e.slice(0, 160)] || 0) + 1; r.errors = c; }
  if (args.screenshot && outcome === 'completed') await page.screenshot({ path: args.screenshot, fullPage: false });
  await context.close().catch(() => {});
  return r;
}

// One DuckDB-WASM run of the peer page (same SQL, same file, same browser): wall times from the
// page, plus CPU seconds of all Chromium processes for start-up and for the query, and memory.
async function duckRun(i, mode) {
  const context = await browser.newContext();
  const page = await context.newPage();
  let cpuInstantiated = null, crashed = false;
  await page.exposeFunction('__phase', () => { cpuInstantiated = treeCpu(); });
  page.on('pageerror', e => console.error('duckdb pageerror', e.message));
  page.on('crash', () => { crashed = true; });
  await page.goto(base + 'duckdb/');
  await page.waitForFunction(() => window.harnessReady === true, null, { timeout: 60000 });
  await page.setInputFiles('#file', csv);
  await page.waitForTimeout(500);
  const idle = treeRss();
  const s = startSampling();
  const load1 = loadavg()[0];
  const cpu0 = treeCpu();
  const t0 = performance.now();
  let r, outcome = 'completed';
  try {
    r = await page.evaluate(m => window.runRFM(m), mode);
  } catch (e) {
    outcome = crashed ? 'crashed' : 'error: ' + String(e.message).slice(0, 200);
  }
  const t1 = performance.now();
  const cpu1 = treeCpu();
  stopSampling(s);
  await context.close().catch(() => {});
  const out = { tool: 'duckdb-wasm', run: i + 1, mode, csv: path.basename(csv), outcome, load1_at_start: load1,
                total_wall_ms: r1(t1 - t0) };
  if (r) Object.assign(out, { duckdb: r.duckdb_version, instantiate_ms: r1(r.instantiate_ms), register_ms: r1(r.register_ms),
    load_ms: r1(r.load_ms), rfm_ms: r1(r.rfm_ms), query_total_ms: r1(r.query_total_ms),
    cpu_instantiate_s: cpuInstantiated == null ? null : r2(cpuInstantiated - cpu0),
    cpu_query_s: cpuInstantiated == null ? null : r2(cpu1 - cpuInstantiated),
    rows: r.checksum.rows, customers: r.checksum.customers });
  Object.assign(out, { idle_rss_mb: Math.round(idle.mb), peak_rss_mb: Math.round(s.peak),
    peak_minus_idle_mb: Math.round(s.peak - idle.mb), peak_by_process_type_mb: s.peakByKind });
  return out;
}

// --pairs: after each SegScope run, one DuckDB-WASM run per mode (interleaved, so both see the
// same machine load).
const duckModes = args.pairs ? String(args['duckdb-modes'] || 'filehandle,buffer').split(',') : [];
const duckResults = [];
try {
  for (let i = 0; i < runs; i++) {
    const r = await oneRun(i);
    results.push(r);
    emit(r);
    for (const m of duckModes) {
      const d = await duckRun(i, m);
      d.pair_segscope_page_ms = r.page_click_to_ready_ms;
      d.pair_segscope_cpu_s = r.chromium_cpu_s;
      duckResults.push(d);
      emit(d);
    }
  }
} finally {
  await browser.close().catch(() => {});
  server.close();
}
const ok = results.filter(r => r.outcome === 'completed');
const med = k => r1(median(ok.map(r => r[k])));
const summary = {
  tool: 'segscope', csv, file_bytes: fileBytes, mode, runs: results.length, completed: ok.length,
  outcomes: results.map(r => r.outcome), chromium: browser.version(), host_cpus: os.cpus().length, loadavg_end: loadavg(),
  medians: Object.fromEntries(['confirm_to_ready_ms', 'page_click_to_ready_ms', 'worker_elapsed_ms', 'scoring_start_ms',
    'worker_score_ms_est', 'analyzed_arrival_ms', 'render_after_arrival_ms', 'analyzed_json_kb', 'page_load_ms',
    'idle_rss_mb', 'peak_rss_mb', 'peak_minus_idle_mb', 'worker_wasm_memory_mb', 'chromium_cpu_s'].map(k => [k, med(k)])),
  max_peak_rss_mb: Math.max(...results.map(r => r.peak_rss_mb)),
  max_peak_minus_idle_mb: Math.max(...results.map(r => r.peak_minus_idle_mb)),
};
summary.max_peak_minus_idle_x_file = Math.round(summary.max_peak_minus_idle_mb / (fileBytes / 1048576) * 100) / 100;
emit({ SUMMARY: summary });
if (duckResults.length) {
  const ds = {};
  for (const m of duckModes) {
    const rs = duckResults.filter(d => d.mode === m && d.outcome === 'completed');
    const mm = k => r2(median(rs.map(d => d[k])));
    ds[m] = Object.fromEntries(['instantiate_ms', 'query_total_ms', 'load_ms', 'rfm_ms', 'cpu_instantiate_s', 'cpu_query_s',
      'peak_rss_mb', 'peak_minus_idle_mb'].map(k => [k, mm(k)]));
    // per pair, then median: DuckDB query (register + read CSV + RFM) over SegScope confirm -> drawn
    ds[m].ratio_query_wall_over_segscope = r2(median(rs.map(d => d.query_total_ms / d.pair_segscope_page_ms)));
    ds[m].ratio_query_cpu_over_segscope = r2(median(rs.map(d => d.cpu_query_s / d.pair_segscope_cpu_s)));
    ds[m].ratio_startup_plus_query_wall_over_segscope = r2(median(rs.map(d => (d.instantiate_ms + d.query_total_ms) / d.pair_segscope_page_ms)));
    ds[m].runs = rs.length;
  }
  emit({ DUCKDB_SUMMARY: { csv, pairs: runs, loadavg_end: loadavg(), modes: ds } });
}

// ---------------------------------------------------------------------------------------------
// DuckDB-WASM peer on the same file, same session
if (args.duckdb) {
  const peer = args['duckdb-bench'] || '/work/shared/bench/duckdb-wasm/bench.mjs';
  const pargs = [peer, '--csv', csv, '--runs', String(args['duckdb-runs'] || 3), '--deps', args['duckdb-deps'] || '/tmp/peers-duckdb-wasm'];
  if (args['duckdb-modes']) pargs.push('--modes', args['duckdb-modes']);
  console.log(`# duckdb-wasm: node ${pargs.join(' ')} (load ${loadavg().join(' ')})`);
  const t = performance.now();
  const code = await new Promise(res => {
    const p = spawn(process.execPath, pargs, { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.on('data', d => { process.stdout.write(d); if (out) out.write(d); });
    p.on('exit', c => res(c));
  });
  console.log(`# duckdb-wasm exit ${code} after ${Math.round((performance.now() - t) / 1000)} s (load ${loadavg().join(' ')})`);
}
if (out) out.end();
