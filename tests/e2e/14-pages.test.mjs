// 14. One page per analysis behind hash routes: a deep link opens its page once the file is
// analysed, Back and Forward move between pages, switching keeps each page's results, and the
// navigation stays usable on a 768-pixel tablet and a 1280-pixel laptop.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp, until } from './harness.mjs';

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

const current = (page) => page.locator('[data-testid=nav] [aria-current=page]').getAttribute('data-testid');

test('a deep link, back and forward, and pages that keep their results', async () => {
  const app = await openApp(browser, server, { gotoPath: '#/predictions' });
  try {
    await app.goto();
    const { page } = app;
    await app.analyseDemo();
    // The deep link's page shows first.
    assert.equal(await current(page), 'nav-predictions');
    await page.locator('[data-testid=predictions]').waitFor({ state: 'visible' });
    await page.locator('[data-testid=predict-run]').click();
    await page.locator('[data-testid=model-table]').waitFor({ state: 'visible', timeout: 60_000 });

    // Overview through the navigation, then Back and Forward.
    await page.locator('[data-testid=nav-overview]').click();
    await page.locator('[data-testid=quality-report]').waitFor({ state: 'visible' });
    assert.match(page.url(), /#\/overview$/);
    await page.goBack();
    await until(page, async () => (await current(page)) === 'nav-predictions' || null, 'back to predictions');
    assert.equal(await page.locator('[data-testid=model-table] tbody tr').count(), 3, 'the models are still there');
    await page.goForward();
    await until(page, async () => (await current(page)) === 'nav-overview' || null, 'forward to the overview');
    await page.locator('[data-testid=report-ready]').waitFor({ state: 'attached', timeout: 60_000 });

    // A typed address opens its page too.
    await page.evaluate(() => { window.location.hash = '#/segments'; });
    await page.locator('[data-testid=clusters]').waitFor({ state: 'visible' });
    assert.equal(await current(page), 'nav-segments');
    await app.assertClean({ allowAfterFile: [(r) => /\/demo\/(transactions|customers|campaign)\.csv$/.test(r.url)] });
  } finally {
    await app.close();
  }
});

for (const width of [768, 1280]) {
  test(`the navigation fits a ${width}-pixel screen and every page opens`, async () => {
    const app = await openApp(browser, server, { viewport: { width, height: 900 } });
    try {
      await app.goto();
      const { page } = app;
      await app.analyseDemo();
      for (const route of ['overview', 'customers', 'predictions', 'segments']) {
        await app.go(route);
        const link = await page.locator(`[data-testid=nav-${route}]`).boundingBox();
        assert.ok(link.x >= 0 && link.x + link.width <= width, `${route} link within the screen: ${JSON.stringify(link)}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${route}: the page does not scroll sideways (${overflow} px)`);
      }
      await app.assertClean({ allowAfterFile: [(r) => /\/demo\/(transactions|customers|campaign)\.csv$/.test(r.url)] });
    } finally {
      await app.close();
    }
  });
}
