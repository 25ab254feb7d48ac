// Sizing and layouts in a real browser (tests/apps/sizing.c): stretched cards share a row
// equally whatever their content, a grid places a plot over two of its three columns, tabs
// switch by click and arrow keys (role, aria-selected, the panel shown) and reach the app's
// callback, a size set live applies, the app switches tabs, a hidden panel hides its tab (the
// arrow keys pass over it). Screenshot: screenshots/sizing.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openBrowser, screenshot, startPane, watchPage } from './lib.mjs';
import { waitForDocs } from './live-lib.mjs';

let pane, browser;

before(async () => {
  pane = await startPane({ app: 'tests/apps/sizing.c' });
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

const pickedText = (page) => page.locator('.pn-main > .pn-row').last().locator('.pn-markdown').textContent();

test('stretch, grid spans, tabs by mouse and keys, a live size', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const seen = watchPage(page);
  await page.goto(pane.url);
  await waitForDocs(page);
  const [a, b] = await page.locator('.pn-card').evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect().width));
  assert.ok(Math.abs(a - b) < 2, `the stretched cards share the row (${a} and ${b})`);
  assert.ok(a > 400, `and take it (${a} px each)`);
  const grid = await page.locator('.pn-grid').boundingBox();
  const plot = await page.locator('.pn-grid > .pn-plot').boundingBox();
  const one = await page.locator('.pn-grid > .pn-number').first().boundingBox();
  assert.ok(plot.width > grid.width * 0.6 && plot.width < grid.width * 0.7,
    `the plot spans 2 of 3 columns (${plot.width} of ${grid.width})`);
  assert.ok(Math.abs(one.y - plot.y) < 2 && one.x > plot.x + plot.width, 'the next cell is beside it');

  const tabs = page.getByRole('tab');
  assert.deepEqual(await tabs.allTextContents(), ['Overview', 'Details', 'Log']);
  assert.equal(await page.getByRole('tabpanel').count(), 1, 'one panel shown');
  assert.equal((await page.getByRole('tabpanel').textContent()).trim(), 'the overview');
  await tabs.nth(2).click();
  await eventually(async () => assert.equal((await pickedText(page)).trim(), 'tab 2'));
  assert.equal(await tabs.nth(2).getAttribute('aria-selected'), 'true');
  assert.equal((await page.getByRole('tabpanel').textContent()).trim(), 'the log');
  await page.keyboard.press('ArrowRight'); // wraps to the first
  await eventually(async () => assert.equal((await pickedText(page)).trim(), 'tab 0'));
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Overview');
  await page.getByRole('button', { name: 'Second tab' }).click();
  await eventually(async () => assert.equal((await page.getByRole('tabpanel').textContent()).trim(), 'the details'));
  assert.equal(await tabs.nth(1).getAttribute('aria-selected'), 'true');

  await page.getByRole('button', { name: 'Resize' }).click();
  await eventually(async () => assert.equal(Math.round((await page.locator('.pn-grid > .pn-number').first().boundingBox()).width), 333));
  // the accordion: native details, the first open; an item inserted and removed live, with the
  // wrapper its title is in
  const items = page.locator('.pn-accordion-item');
  assert.deepEqual(await page.locator('.pn-accordion-title').allTextContents(), ['Disks', 'Network']);
  assert.equal(await items.nth(0).getAttribute('open'), '');
  assert.equal(await items.nth(1).getAttribute('open'), null);
  await page.locator('.pn-accordion-title', { hasText: 'Network' }).click();
  assert.equal(await items.nth(1).getAttribute('open'), '');
  await page.getByRole('button', { name: 'Add item' }).click();
  await eventually(async () => assert.equal(await items.count(), 3));
  assert.deepEqual(await page.locator('.pn-accordion-title').allTextContents(), ['Disks', 'Item 2', 'Network']);
  assert.equal((await items.nth(1).locator('.pn-markdown').textContent()).trim(), 'an item added live');
  assert.equal(await items.nth(2).getAttribute('open'), '', 'the visitor\'s open item stays open');
  await page.getByRole('button', { name: 'Remove item' }).click();
  await eventually(async () => assert.equal(await items.count(), 2));
  // a tab added live: its button follows, and it shows its panel
  await page.getByRole('button', { name: 'Add a tab' }).click();
  await eventually(async () => assert.deepEqual(await tabs.allTextContents(), ['Overview', 'Details', 'Log', 'Tab 4']));
  assert.equal(await tabs.nth(1).getAttribute('aria-selected'), 'true', 'the tab shown stays');
  await tabs.nth(3).click();
  await eventually(async () => assert.equal((await page.getByRole('tabpanel').textContent()).trim(), 'a tab added live'));
  assert.equal(await page.getByRole('tabpanel').getAttribute('aria-labelledby'), await tabs.nth(3).getAttribute('id'));
  // a panel hidden live: its tab goes, the first visible tab is shown (and the app reads it),
  // the arrow keys pass over the hidden tab; shown again, its tab comes back
  await tabs.nth(1).click();
  await eventually(async () => assert.equal((await pickedText(page)).trim(), 'tab 1'));
  await page.getByRole('button', { name: 'Hide details' }).click();
  await eventually(async () => assert.equal((await pickedText(page)).trim(), 'hidden, tab 0'));
  assert.deepEqual(await tabs.allTextContents(), ['Overview', 'Log', 'Tab 4']);
  assert.equal(await page.locator('.pn-tab', { hasText: 'Details' }).isVisible(), false);
  assert.equal((await page.getByRole('tabpanel').textContent()).trim(), 'the overview');
  assert.equal(await tabs.nth(0).getAttribute('aria-selected'), 'true');
  await tabs.nth(0).focus();
  await page.keyboard.press('ArrowRight'); // over the hidden tab
  await eventually(async () => assert.equal((await pickedText(page)).trim(), 'tab 2'));
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Log');
  assert.equal((await page.getByRole('tabpanel').textContent()).trim(), 'the log');
  await page.keyboard.press('ArrowLeft');
  await eventually(async () => assert.equal((await pickedText(page)).trim(), 'tab 0'));
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Overview');
  await page.keyboard.press('End');
  await eventually(async () => assert.equal((await pickedText(page)).trim(), 'tab 3'));
  await page.getByRole('button', { name: 'Show details' }).click();
  await eventually(async () => assert.equal((await pickedText(page)).trim(), 'shown, tab 3'));
  assert.deepEqual(await tabs.allTextContents(), ['Overview', 'Details', 'Log', 'Tab 4']);
  assert.equal((await page.getByRole('tabpanel').textContent()).trim(), 'a tab added live');
  await tabs.nth(1).click();
  await eventually(async () => assert.equal((await page.getByRole('tabpanel').textContent()).trim(), 'the details'));

  // the sidebar: beside the main area, its widgets live, a node added to it live
  const side = page.locator('#pn-sidebar');
  const sb = await side.boundingBox(), mb = await page.locator('#pn-main').boundingBox();
  assert.ok(sb.x < mb.x && Math.abs(sb.width - 300) < 2, `the sidebar on the left (${sb.x}, ${sb.width} px)`);
  await side.getByLabel('City').selectOption('Rome');
  await eventually(async () => assert.equal((await pickedText(page)).trim(), 'city Rome'));
  await page.getByRole('button', { name: 'Add to sidebar' }).click();
  await eventually(async () => assert.equal((await side.locator('.pn-markdown').last().textContent()).trim(), 'added to the sidebar'));
  await screenshot(page, 'sizing');
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.consoleErrors, []);
  await page.close();
});
