// 4. Language: the toggle switches to 简体中文, the choice survives a reload (localStorage), and
// switching back restores English.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, openApp, FIXTURES } from './harness.mjs';

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

test('language toggle: Chinese strings, <html lang>, kept across a reload, and back', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    const toggle = page.locator('[data-testid=lang-toggle]');
    assert.equal(await toggle.textContent(), '中文', 'the toggle names the other language');
    await app.analyse(path.join(FIXTURES, 'small.csv'));
    const kpiLabel = page.locator('[data-testid=kpi-customers] .kpi-label');
    assert.equal(await kpiLabel.textContent(), 'Customers');

    await toggle.click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    assert.equal(await kpiLabel.textContent(), '客户数');
    assert.equal(await page.locator('[data-testid=kpi-revenue] .kpi-label').textContent(), '销售额');
    assert.match(await page.locator('[data-testid=privacy-note]').textContent(), /您的数据只留在本机/);
    assert.match(await page.locator('[data-testid=drop-reason]').textContent(), /不是有效日期.*第 13 行/, 'drop reasons are translated too');
    const segLabels = (await app.segmentRows()).map((r) => r.label);
    assert.ok(segLabels.includes('重要价值客户'), `segment names translated: ${segLabels}`);
    assert.equal(await toggle.textContent(), 'English');
    assert.equal(await page.evaluate(() => localStorage.getItem('segscope.lang')), 'zh-CN');
    // Numbers do not change with the language.
    assert.equal(await app.number('kpi-revenue'), 790);

    // Reload: still Chinese (the file is gone, by design: back on the upload screen).
    await page.reload();
    await page.locator('[data-testid=upload-input]').waitFor({ state: 'attached', timeout: 60_000 });
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.locator('[data-testid=demo-button]').textContent(), '试用演示数据');
    assert.match(await page.locator('[data-testid=privacy-note]').textContent(), /不会上传任何内容/);

    // And back to English.
    await toggle.click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(await page.locator('[data-testid=demo-button]').textContent(), 'Try the demo data');
    assert.equal(await page.evaluate(() => localStorage.getItem('segscope.lang')), 'en');

    // The theme toggle works the same way: dark, kept across a reload, and back to light.
    const theme = page.locator('[data-testid=theme-toggle]');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
    await theme.click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    assert.equal(await theme.textContent(), 'Light');
    await page.reload();
    await page.locator('[data-testid=upload-input]').waitFor({ state: 'attached', timeout: 60_000 });
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    await theme.click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');

    // After the reload the page fetched its own bundle again, nothing else.
    await app.assertClean({ allowAfterFile: [(r) => r.method === 'GET' && !/\.csv$/.test(r.url)] });
  } finally {
    await app.close();
  }
});

// Regression: notices (“Customers exported: N.”, “Cancelled…”) used to be stored as strings
// already translated, so switching the language left them in the old language. They are now a
// typed `Notice`, localised when rendered, like the error panel.
test('a notice on screen follows a language switch', async () => {
  const app = await openApp(browser, server);
  try {
    await app.goto();
    const { page } = app;
    await app.analyse(path.join(FIXTURES, 'small.csv'));
    await app.exportCsv();
    const notice = page.locator('[data-testid=notice]');
    assert.match(await notice.textContent(), /Customers exported: 8\./);
    await page.locator('[data-testid=lang-toggle]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    assert.match(await notice.textContent(), /已导出客户：8 位。/, 'the notice is shown in Chinese');
    await app.assertClean();
  } finally {
    await app.close();
  }
});
