// examples/gallery.c in a real browser: every kind pane has is on the page (a FileDownload's
// file is saved too) (the doc's kinds are
// the list of kinds.c), the first visit takes at most 6 responses and 150 KB on the wire (issue
// 13's budget: Panel's weather page alone is 23 responses and 3.7 MB) besides one response per
// picture (pn_image: its two are counted apart, each fetched once), a widget reaches its
// callback, Tick moves the indicators, no console error. Screenshot: screenshots/gallery.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openBrowser, screenshot, startPane, watchPage } from './lib.mjs';
import { waitForDocs } from './live-lib.mjs';

let pane, browser;

before(async () => {
  pane = await startPane({ app: 'examples/gallery.c' });
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

const KINDS = ['Row', 'Column', 'Card', 'Number', 'Markdown', 'HTML', 'Button', 'Toggle',
  'Checkbox', 'TextInput', 'IntSlider', 'FloatSlider', 'Select', 'Plot', 'Divider', 'Spacer',
  'Progress', 'LoadingSpinner', 'BooleanStatus', 'Alert', 'Str', 'JSON', 'Trend', 'Gauge',
  'IntInput', 'FloatInput', 'TextAreaInput', 'RadioBoxGroup', 'CheckBoxGroup', 'MultiSelect',
  'RangeSlider', 'DatePicker', 'ColorPicker', 'Table', 'Grid', 'Tabs', 'Accordion',
  'FileDownload', 'Image'];

test('every kind on one page, within 6 responses and 150 KB, live', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const seen = watchPage(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let responses = 0, pictures = 0, wire = 0;
  cdp.on('Network.responseReceived', (e) =>
    (e.response.url.includes('/_pane/img/') ? pictures++ : responses++));
  cdp.on('Network.loadingFinished', (e) => (wire += e.encodedDataLength));
  await page.goto(pane.url);
  await waitForDocs(page);
  await page.waitForLoadState('networkidle');
  t.diagnostic(`first visit: ${responses} responses and ${pictures} pictures, ${wire} bytes on ` +
    'the wire');
  assert.ok(responses <= 6, `${responses} responses besides the pictures`);
  assert.equal(pictures, 2, 'the SVG and the PNG, once each');
  assert.ok(wire <= 150 * 1024, `${wire} bytes`);
  const drawn = await page.locator('.pn-image > img').evaluateAll((els) =>
    els.map((el) => el.complete && el.naturalWidth));
  assert.deepEqual(drawn, [160, 32], 'both pictures drawn, at their size');
  const kinds = new Set(await page.locator('[data-pn-kind]').evaluateAll((els) => els.map((e) => e.dataset.pnKind)));
  assert.deepEqual([...kinds].sort(), [...KINDS].sort(), 'every kind, and only kinds pane has');

  await page.getByLabel('Integer').fill('7');
  await page.getByLabel('Integer').press('Enter');
  await eventually(async () => assert.match(await page.locator('.pn-card').nth(2).locator(':scope .pn-card-body > .pn-markdown').textContent(), /\d+ widget changes so far/));
  const gauge = () => page.locator('.pn-gauge').first().textContent();
  const before = await gauge();
  await page.getByRole('button', { name: 'Tick' }).click();
  await eventually(async () => assert.notEqual(await gauge(), before));
  // FileDownload: the app makes the CSV on the click, the browser saves it
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.equal(download.suggestedFilename(), 'cities.csv');
  const { readFile } = await import('node:fs/promises');
  const body = await readFile(await download.path(), 'utf8');
  const lines = body.trim().split('\n');
  assert.equal(lines[0], 'row,value,city');
  assert.equal(lines.length, 1001);
  assert.equal(lines[2], '1,17,Lisbon');
  await screenshot(page, 'gallery');
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.consoleErrors, []);
  await page.close();
});
