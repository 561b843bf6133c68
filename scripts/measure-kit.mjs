// What the measuring scripts that open the page themselves share (profile-worker.mjs,
// rehearsal-cost.mjs): a static server for a built bundle, and requests to the worker through
// the page's DevTools session.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.csv': 'text/csv' };

/** A static server for `dist` on 127.0.0.1 (a free port): files under it only, `/` is
 * index.html. Resolves once it listens (its port is `server.address().port`). */
export async function serveDist(dist) {
  const root = path.resolve(dist);
  const server = http.createServer((req, res) => {
    let url;
    try { url = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400); res.end(); return; }
    const file = path.join(root, url.endsWith('/') ? url + 'index.html' : url);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404); res.end(); return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  return server;
}

/**
 * DevTools requests to the page's worker through the page's CDP session (`Target.setAutoAttach`
 * with `flatten: false`: messages go through `Target.sendMessageToTarget`). Set `channel.worker`
 * to the worker's session id when it attaches; `channel.send(method, params)` resolves with the
 * answer or rejects with its error.
 */
export function workerChannel(cdp) {
  const channel = { worker: null };
  let nextId = 1;
  const pending = new Map();
  cdp.on('Target.receivedMessageFromTarget', e => {
    const m = JSON.parse(e.message);
    if (m.id && pending.has(m.id)) {
      const [resolve, reject] = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) reject(new Error(`${m.error.message} (${m.error.code})`)); else resolve(m);
    }
  });
  channel.send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, [resolve, reject]);
    cdp.send('Target.sendMessageToTarget', { sessionId: channel.worker, message: JSON.stringify({ id, method, params }) })
      .catch(reject);
  });
  return channel;
}
