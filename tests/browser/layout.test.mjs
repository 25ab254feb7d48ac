// Layouts that change live (tests/apps/layout.c): children appended and inserted by callbacks
// arrive rendered in the right place, a Card with a Number and a Plot arrives drawn, a component
// hides and shows again, a line is removed and the card replaced, and through all of it a TextInput keeps its focus and its text and
// nothing else on the page is replaced. Screenshot: tests/browser/screenshots/layout.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openBrowser, screenshot, startPane, watchPage } from './lib.mjs';
import { waitForDocs } from './live-lib.mjs';

let pane, browser;

before(async () => {
  pane = await startPane({ app: 'tests/apps/layout.c' });
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

test('append, insert, a card with a plot, hide and show: the rest of the page stays', async () => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  await page.goto(pane.url);
  await waitForDocs(page);
  // a marker on an element that must survive: it would be lost if the page were re-rendered
  await page.evaluate(() => (document.querySelector('.pn-text-input input').__kept = true));
  const note = page.getByLabel('Note');
  const lines = () => page.locator('.pn-column .pn-markdown').allTextContents();
  const click = async (name) => {
    await page.getByRole('button', { name, exact: true }).click();
    await note.focus(); // the visitor goes back to typing
  };
  await note.fill('half a sentence');
  await click('Add');
  await click('Add');
  await click('Insert first');
  await eventually(async () => assert.deepEqual((await lines()).map((t) => t.trim()),
    ['first 3', 'the log', 'line 1', 'line 2']));
  await page.getByRole('button', { name: 'Add a card' }).click();
  await eventually(async () => assert.equal(await page.locator('.pn-card').count(), 1));
  const card = page.locator('.pn-card');
  assert.equal((await card.locator('.pn-card-title').textContent()).trim(), 'Card 1');
  assert.equal((await card.locator('.pn-number-value').textContent()).trim(), '1');
  await eventually(async () => assert.equal(await card.locator('.pn-plot-live canvas').count(), 1),
    5000);
  await eventually(async () => assert.equal((await page.evaluate(() => window.panePlots()[0]))?.len, 50,
    'the plot got its 50 points, though its library came after them'));
  await page.getByRole('button', { name: 'Hide' }).click();
  await eventually(async () => assert.equal(await page.locator('.pn-column').isVisible(), false));
  await page.getByRole('button', { name: 'Show' }).click();
  await eventually(async () => assert.equal(await page.locator('.pn-column').isVisible(), true));
  await click('Remove a line');
  await eventually(async () => assert.deepEqual((await lines()).map((t) => t.trim()),
    ['first 3', 'the log', 'line 2']));
  await click('Replace the card');
  await eventually(async () => assert.equal(await page.locator('.pn-card').count(), 0));
  assert.equal((await page.locator('.pn-row .pn-markdown').last().textContent()).trim(),
    'the card was replaced');
  assert.equal(await page.evaluate(() => window.panePlots().length), 0, 'the plot was let go');
  await note.focus();
  await page.keyboard.type(' goes on');
  assert.equal(await note.inputValue(), 'half a sentence goes on');
  assert.equal(await page.evaluate(() => document.querySelector('.pn-text-input input').__kept), true,
    'the TextInput is the same element: nothing was re-rendered');
  assert.deepEqual(await page.evaluate(() => window.pane.state().hydration), 'kept');
  await screenshot(page, 'layout');
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.consoleErrors, []);
  await page.close();
});
