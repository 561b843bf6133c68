// 1. Page load: the CSP, same-origin requests only, the privacy note, and a path prefix.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp } from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Parses a CSP string into {directive: [tokens]}. */
function parseCsp(text) {
  const out = {};
  for (const part of text.split(';')) {
    const [name, ...tokens] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = tokens;
  }
  return out;
}

test('CSP, privacy note and same-origin requests only, served under a path prefix', async () => {
  const server = await startServer({ prefix: '/team/segscope/' });
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page, log } = app;

    // The CSP meta tag: script-src without 'unsafe-inline'/'unsafe-eval', no third-party origin.
    const metas = await page.locator('meta[http-equiv="Content-Security-Policy"]').evaluateAll((els) => els.map((e) => e.getAttribute('content')));
    assert.equal(metas.length, 1, 'one CSP meta tag');
    const csp = parseCsp(metas[0]);
    assert.ok(csp['script-src'], 'script-src present');
    assert.deepEqual(csp['default-src'], ["'self'"]);
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'"]) {
      assert.ok(!csp['script-src'].includes(bad), `script-src has no ${bad}: ${csp['script-src']}`);
    }
    assert.deepEqual(csp['connect-src'], ["'self'"], 'connect-src only self (nothing can be sent anywhere)');
    assert.deepEqual(csp['object-src'], ["'none'"]);
    for (const [name, tokens] of Object.entries(csp)) {
      for (const tok of tokens) {
        // style-src may allow inline styles (plotters measures text with a styled <span>);
        // scripts never.
        const inlineStyle = name === 'style-src' && tok === "'unsafe-inline'";
        const ok = inlineStyle || /^'(self|none|wasm-unsafe-eval|sha(256|384|512)-[A-Za-z0-9+/=]+)'$/.test(tok) || /^(data|blob):$/.test(tok);
        assert.ok(ok, `${name}: token ${tok} is a keyword, hash or data:/blob:, never an origin`);
      }
    }
    assert.ok(!/__INLINE_SCRIPT_HASHES__/.test(metas[0]), 'the inline-script hash placeholder was filled');

    // The privacy note is visible and says nothing is uploaded.
    const note = page.locator('[data-testid=privacy-note]');
    assert.ok(await note.isVisible());
    assert.match(await note.textContent(), /nothing is uploaded/);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    // Every request stayed under the prefix on our origin: page, wasm, worker and its wasm.
    await app.workerLoaded();
    const urls = log.requests.map((r) => r.url);
    for (const u of urls) assert.ok(u.startsWith(server.url), `${u} is under ${server.url}`);
    for (const name of ['worker_loader.js', 'worker.js', 'worker_bg.wasm']) {
      assert.ok(urls.some((u) => u === server.url + name), `${name} loaded from the prefix`);
    }
    assert.ok(urls.some((u) => /\/app-[0-9a-f]+_bg\.wasm$/.test(u)), 'app wasm loaded');

    // The relative demo URL works under the prefix too: demo → mapping → dashboard.
    app.fileChosen(); // the demo click is the file choice
    await page.locator('[data-testid=demo-button]').click();
    await page.locator('[data-testid=mapping]').waitFor({ state: 'visible', timeout: 60_000 });
    await app.confirm();
    assert.equal(await app.number('kpi-customers'), 2000, 'the demo has 2,000 customers');
    // The demo CSV itself is the only request after clicking the demo button (and seeing it
    // recorded proves the recorder catches requests made after a file was chosen).
    assert.ok(log.afterFile.some((r) => r.url === server.url + 'demo/transactions.csv'), 'the demo fetch was recorded');
    await app.assertClean({ allowAfterFile: [(r) => /\/demo\/(transactions|customers|campaign)\.csv$/.test(r.url) && r.url.startsWith(server.url) && r.method === 'GET'] });
  } finally {
    await app.close();
    await server.close();
  }
});

// plotters' text measurement (plotters 0.3.7 src/style/font/web.rs) sets a `style` attribute on
// a temporary <span>. Under `style-src 'self'` that is blocked: one CSP violation and console
// error per measured label, and labels measured at the wrong font size. The CSP must allow it
// (or the charts must measure text another way).
test('drawing the dashboard violates no CSP directive', async () => {
  const server = await startServer();
  const app = await openApp(browser, server);
  try {
    await app.goto();
    app.fileChosen(); // the demo click is the file choice
    await app.page.locator('[data-testid=demo-button]').click();
    await app.page.locator('[data-testid=mapping]').waitFor({ state: 'visible', timeout: 60_000 });
    await app.confirm();
    const violations = await app.cspViolations();
    assert.deepEqual(violations, [], `CSP violations while drawing the charts (${violations.length})`);
    await app.assertClean({ strictCsp: true, allowAfterFile: [(r) => /\/demo\/(transactions|customers|campaign)\.csv$/.test(r.url)] });
  } finally {
    await app.close();
    await server.close();
  }
});
