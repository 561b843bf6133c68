#!/usr/bin/env node
// How a Web Worker should read a big File while it parses: the read's own cost, and how much of
// it each way hides behind a stand-in parse, in headless Chromium (for the worker's `feed` choice,
// docs/benchmarks.md "Issue 15, fifth pass").
//
//   node scripts/bench-blob-read.mjs [--csv /tmp/bench-data/tx_1m.csv] [--parse-ms-per-mib 18] [--rounds 5]
//
// Ways (4 MiB pieces; each piece is copied once, as into wasm memory, then the stand-in parse
// spins the CPU for --parse-ms-per-mib per MiB, about the worker's parse rate):
//   sync    FileReaderSync, one slice after another (the worker before the fed read)
//   slices  Blob.slice().arrayBuffer(), the next slice asked for before this one is parsed
//   stream  Blob.stream(), its default reader (the worker's fed read)
//   reader  a second worker reads with FileReaderSync and transfers each piece (up to 3 ahead)
// and `sync` and `reader` again with no parse ("… read only": the read's own cost).
// Rounds alternate the order. Prints, per way, the median total ms and the ms spent waiting.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(process.argv.slice(2).join(' ').split('--').filter(Boolean)
  .map(a => a.trim().split(/\s+/)).map(([k, v]) => [k, v ?? true]));
const csv = path.resolve(args.csv || '/tmp/bench-data/tx_1m.csv');
const perMiB = parseFloat(args['parse-ms-per-mib'] || '18');
const rounds = parseInt(args.rounds || '5', 10);
const require = createRequire(path.join(repo, 'tests', 'e2e', 'node_modules', 'x.js'));
const { chromium } = require('playwright-core');

const PAGE = `<!doctype html><input type=file id=f><script>
window.runWay = (way, perMiB) => new Promise((resolve) => {
  const file = document.getElementById('f').files[0];
  const w = new Worker('w.js');
  let r = null;
  if (way === 'reader') {
    r = new Worker('r.js');
    const ch = new MessageChannel();
    r.postMessage({ file, port: ch.port1 }, [ch.port1]);
    w.postMessage({ way, file, perMiB, port: ch.port2 }, [ch.port2]);
  } else w.postMessage({ way, file, perMiB });
  w.onmessage = (e) => { w.terminate(); if (r) r.terminate(); resolve(e.data); };
});</script>`;
const READER = `onmessage = (e) => {
  const { file, port } = e.data; const CH = 4 << 20; const frs = new FileReaderSync();
  let off = 0, ahead = 0;
  const pump = () => { while (ahead < 3 && off < file.size) {
    const end = Math.min(off + CH, file.size); const buf = frs.readAsArrayBuffer(file.slice(off, end));
    off = end; ahead++; port.postMessage({ buf, done: off >= file.size }, [buf]); } };
  port.onmessage = () => { ahead--; pump(); }; pump(); };`;
const WORKER = `
const spin = (ms) => { const t = performance.now(); while (performance.now() - t < ms) {} };
const parse = (buf, perMiB) => { const copy = new Uint8Array(buf).slice(); spin(perMiB * copy.length / 1048576); return copy.length; };
onmessage = async (e) => {
  const { way, file, perMiB, port } = e.data; const CH = 4 << 20;
  const t0 = performance.now(); let wait = 0, bytes = 0; let t;
  if (way === 'sync') {
    const frs = new FileReaderSync();
    for (let off = 0; off < file.size; off += CH) {
      t = performance.now(); const buf = frs.readAsArrayBuffer(file.slice(off, Math.min(off + CH, file.size)));
      wait += performance.now() - t; bytes += parse(buf, perMiB); }
  } else if (way === 'slices') {
    let next = file.slice(0, CH).arrayBuffer(), off = 0;
    while (next) {
      t = performance.now(); const buf = await next; wait += performance.now() - t; off += buf.byteLength;
      next = off < file.size ? file.slice(off, Math.min(off + CH, file.size)).arrayBuffer() : null;
      bytes += parse(buf, perMiB); }
  } else if (way === 'stream') {
    const r = file.stream().getReader();
    for (;;) { t = performance.now(); const { done, value } = await r.read(); wait += performance.now() - t;
      if (done) break; bytes += parse(value.buffer, perMiB); }
  } else {
    await new Promise((done) => { t = performance.now();
      port.onmessage = (m) => { wait += performance.now() - t; bytes += parse(m.data.buf, perMiB);
        port.postMessage(1); t = performance.now(); if (m.data.done) done(); }; });
  }
  postMessage({ total: performance.now() - t0, wait, bytes });
};`;
const server = http.createServer((q, s) => {
  const body = { '/': PAGE, '/w.js': WORKER, '/r.js': READER }[q.url];
  if (!body) { s.writeHead(404); s.end(); return; }
  s.writeHead(200, { 'Content-Type': q.url === '/' ? 'text/html' : 'text/javascript' }); s.end(body);
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const exe = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find(fs.existsSync);
const browser = await chromium.launch({ executablePath: exe, headless: true });
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.setInputFiles('#f', csv);
const ways = [['sync', perMiB], ['slices', perMiB], ['stream', perMiB], ['reader', perMiB], ['sync read only', 0], ['reader read only', 0]];
const got = {};
for (let i = 0; i < rounds; i++) {
  for (const [name, ms] of (i % 2 ? [...ways].reverse() : ways)) {
    const r = await page.evaluate(([w, m]) => window.runWay(w, m), [name.split(' ')[0], ms]);
    if (r.bytes !== fs.statSync(csv).size) throw new Error(`${name}: ${r.bytes} bytes`);
    (got[name] ||= []).push(r);
  }
}
const med = (v) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
console.log(`file ${csv} (${(fs.statSync(csv).size / 1048576).toFixed(1)} MiB), stand-in parse ${perMiB} ms/MiB, ${rounds} rounds, load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log('| way | total ms (median) | waiting for bytes ms (median) | totals |');
console.log('|---|---|---|---|');
for (const [name] of ways) {
  const v = got[name];
  console.log(`| ${name} | ${Math.round(med(v.map(r => r.total)))} | ${Math.round(med(v.map(r => r.wait)))} | ${v.map(r => Math.round(r.total)).join(', ')} |`);
}
await browser.close();
server.close();
