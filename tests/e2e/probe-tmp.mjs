import { startServer, launchBrowser, openApp, until } from './harness.mjs';
const server = await startServer({ root: '/tmp/e2e-dist' });
const browser = await launchBrowser();
const app = await openApp(browser, server);
const { page } = app;
await app.goto();
await page.locator('[data-testid=demo-button]').click();
await page.locator('[data-testid=mapping]').waitFor();
await app.confirm();
// re-analysis then cancel
const r = await page.evaluate(() => new Promise((resolve) => {
  document.querySelector('[data-testid=cap-outliers-toggle]').click();
  const tick = () => {
    const c = document.querySelector('[data-testid=cancel-button]');
    if (c) { c.click(); return resolve('cancelled'); }
    requestAnimationFrame(tick);
  };
  tick();
}));
await page.waitForTimeout(500);
console.log(r, 'notice', await page.locator('[data-testid=notice]').textContent().catch(() => '-'), 'error', await page.locator('[data-testid=error-message]').textContent().catch(() => '-'), 'cap checked', await page.locator('[data-testid=cap-outliers-toggle]').isChecked());
// now change the segment filter
await page.locator('[data-testid=segment-filter]').selectOption('lost');
await page.waitForTimeout(1500);
console.log('after filter: error', await page.locator('[data-testid=error-message]').textContent().catch(() => '-'), 'count', await app.value('customer-count'));
await page.locator('[data-testid=page-next]').click().catch(e => console.log('next', e.message.slice(0,80)));
await page.waitForTimeout(1000);
console.log('after next: error', await page.locator('[data-testid=error-message]').textContent().catch(() => '-'), 'count', await app.value('customer-count'));
// export
await page.locator('[data-testid=export-button]').click();
await page.waitForTimeout(1500);
console.log('after export: error', await page.locator('[data-testid=error-message]').textContent().catch(() => '-'), 'notice', await page.locator('[data-testid=notice]').textContent().catch(() => '-'), 'busy', await page.locator('[data-testid=progress]').count());
await page.waitForTimeout(2000);
console.log('later: error', await page.locator('[data-testid=error-message]').textContent().catch(() => '-'), 'ready', await page.locator('[data-testid=report-ready]').count(), 'count', await app.value('customer-count'), 'cap', await page.locator('[data-testid=cap-outliers-toggle]').isChecked(), await app.value('kpi-revenue'));
console.log(app.log.pageErrors, app.log.consoleErrors.filter(m => !/inline style/.test(m)));
await browser.close(); await server.close();
