// 10. The README screenshot: the demo dashboard, light theme, English, 1280 px wide, full page,
// written to <repo>/docs/screenshot.png — only with SEGSCOPE_SCREENSHOT=1, so that a normal run
// never writes into the repository.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, openApp, REPO } from './harness.mjs';

const enabled = process.env.SEGSCOPE_SCREENSHOT === '1';

test('README screenshot of the demo dashboard', { skip: enabled ? false : 'set SEGSCOPE_SCREENSHOT=1 to write docs/screenshot.png' }, async (t) => {
  const server = await startServer();
  const browser = await launchBrowser();
  const app = await openApp(browser, server, { viewport: { width: 1280, height: 900 } });
  try {
    await app.goto();
    const { page } = app;
    assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    app.fileChosen(); // the demo click is the file choice
    await page.locator('[data-testid=demo-button]').click();
    await page.locator('[data-testid=mapping]').waitFor({ state: 'visible', timeout: 60_000 });
    await app.confirm();
    await page.mouse.move(0, 0);
    await page.evaluate(() => document.fonts.ready);
    const out = path.join(REPO, 'docs', 'screenshot.png');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // The top of the dashboard (quality report, KPIs, Pareto, charts): a README-sized picture.
    await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1900 }, animations: 'disabled' });
    const png = fs.readFileSync(out);
    assert.equal(png.readUInt32BE(16), 1280, 'the screenshot is 1280 px wide');
    t.diagnostic(`wrote ${out} (${png.length} bytes, ${png.readUInt32BE(16)}×${png.readUInt32BE(20)})`);
  } finally {
    await app.close();
    await browser.close();
    await server.close();
  }
});
