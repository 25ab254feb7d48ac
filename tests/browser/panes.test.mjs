// Panes and indicators in a real browser (tests/apps/panes.c): what a visitor sees (text,
// roles, ARIA values), a click whose callback changes them arriving live, pictures (pn_image:
// drawn at their size or at pn_size's width or height, served immutable, a PNG painted in C
// replaced by pn_image_set, an SVG whose script runs neither in the page nor opened on its
// own), motion that stops under prefers-reduced-motion, and nothing logged as an error.
// Screenshots: panes*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openBrowser, screenshot, startPane, watchPage } from './lib.mjs';
import { paneState, waitForDocs } from './live-lib.mjs';

let pane, browser;

before(async () => {
  pane = await startPane({ app: 'tests/apps/panes.c' });
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

async function open(t, options = {}) {
  const page = await browser.newPage();
  if (options.reducedMotion) await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 1100, height: 900 });
  const seen = watchPage(page);
  t.after(() => page.close());
  await page.goto(pane.url, { waitUntil: 'load' });
  await waitForDocs(page);
  return { page, seen };
}

function clean(r) {
  assert.deepEqual(r.seen.pageErrors, [], 'uncaught script errors');
  assert.deepEqual(r.seen.consoleErrors, [], 'console errors');
  assert.deepEqual(r.seen.badResponses, [], 'failed responses');
}

const bar = (page, name) => page.getByRole('progressbar', { name });

test('progress bars, spinners and dots show their values with their roles', async (t) => {
  const r = await open(t);
  const { page } = r;
  assert.equal((await paneState(page)).hydration, 'kept', 'the first paint is what the doc says');
  assert.equal(await bar(page, 'Upload').getAttribute('aria-valuenow'), '40');
  assert.equal(await bar(page, 'Disk').getAttribute('aria-valuenow'), '75');
  assert.equal(await bar(page, 'Quota').getAttribute('aria-valuemax'), '10');
  assert.equal(await bar(page, 'Waiting').getAttribute('aria-valuenow'), null, 'indeterminate');
  const fill = await bar(page, 'Upload').locator('.pn-progress-bar').evaluate((el) => ({
    w: el.getBoundingClientRect().width, track: el.parentElement.getBoundingClientRect().width,
    color: getComputedStyle(el).backgroundColor,
  }));
  assert.ok(Math.abs(fill.w / fill.track - 0.4) < 0.02, `40 % wide: ${fill.w} of ${fill.track}`);
  assert.equal(fill.color, 'rgb(0, 114, 181)', 'primary');
  const waiting = await bar(page, 'Waiting').locator('.pn-progress-bar')
    .evaluate((el) => getComputedStyle(el).animationName);
  assert.equal(waiting, 'pn-progress-slide');

  const spinner = page.getByRole('status', { name: 'Fetching' });
  assert.equal(await spinner.getAttribute('aria-busy'), 'true');
  assert.equal(await spinner.locator('.pn-loading-spinner-ring')
    .evaluate((el) => getComputedStyle(el).animationName), 'pn-loading-spin');
  assert.equal(await page.getByRole('status', { name: 'Idle' }).getAttribute('aria-busy'), 'false');

  await page.getByRole('img', { name: 'Database: on' }).waitFor();
  await page.getByRole('img', { name: 'Cache: off' }).waitFor();
  const dots = await page.locator('.pn-boolean-status-dot').evaluateAll((els) =>
    els.map((el) => getComputedStyle(el).backgroundColor));
  assert.deepEqual(dots, ['rgb(46, 125, 50)', 'rgba(0, 0, 0, 0)', 'rgb(198, 40, 40)']);

  const alerts = page.getByRole('alert');
  assert.equal(await alerts.count(), 4);
  assert.equal((await alerts.first().textContent()).trim(), 'Press Advance to start.');
  assert.equal(await alerts.first().locator('strong').textContent(), 'Advance');
  assert.match(await alerts.nth(3).textContent(), /<b>raw<\/b> stays text/);
  const alertColors = await alerts.evaluateAll((els) =>
    els.map((el) => getComputedStyle(el).borderLeftColor));
  assert.deepEqual(alertColors,
    ['rgb(2, 136, 209)', 'rgb(46, 125, 50)', 'rgb(237, 108, 2)', 'rgb(198, 40, 40)']);
  const pre = page.locator('pre.pn-str');
  assert.equal(await pre.textContent(), 'step  upload  state\n   0   40.0  <start>');
  assert.equal(await pre.evaluate((el) => getComputedStyle(el).whiteSpace), 'pre');

  const [state, config] = [page.locator('.pn-json').first(), page.locator('.pn-json').nth(1)];
  assert.equal(await state.locator('details[open]').count(), 1, 'depth 1: the top only');
  assert.equal(await state.locator('.pn-json-key', { hasText: 'percent' }).isVisible(), false);
  assert.equal(await config.locator('details[open]').count(), 2, 'depth 2: two levels');
  const sensors = config.locator('summary', { hasText: 'sensors' });
  assert.equal(await sensors.textContent(), 'sensors: Array [2]');
  assert.equal(await config.getByText('"roof"').isVisible(), false, 'closed at first');
  await config.locator('summary', { hasText: /^0: Object/ }).click(); // no round trip
  assert.equal(await config.getByText('"roof"').isVisible(), true);
  const colours = await config.evaluate((el) => Object.fromEntries(
    ['key', 'string', 'number', 'boolean', 'null'].map((t) =>
      [t, getComputedStyle(el.querySelector(`.pn-json-${t}`)).color])));
  assert.deepEqual(colours, {
    key: 'rgb(106, 27, 154)', string: 'rgb(46, 125, 50)', number: 'rgb(21, 101, 192)',
    boolean: 'rgb(198, 40, 40)', null: 'rgb(117, 117, 117)',
  });

  const requests = page.locator('.pn-trend', { hasText: 'Requests' });
  assert.equal(await requests.locator('.pn-trend-value').textContent(), '17.0/s');
  assert.equal(await requests.locator('.pn-trend-change').textContent(), '▼ -15.00%');
  assert.equal(await requests.locator('.pn-trend-change').evaluate((el) =>
    getComputedStyle(el).color), 'rgb(198, 40, 40)', 'down is red');
  await page.getByRole('img', { name: 'Requests: the last 13 values' }).waitFor();
  const cpu = page.getByRole('meter', { name: 'CPU' });
  assert.equal(await cpu.getAttribute('aria-valuenow'), '42');
  assert.equal(await cpu.getAttribute('aria-valuetext'), '42%');
  assert.equal(await cpu.locator('.pn-gauge-bar').evaluate((el) => getComputedStyle(el).stroke),
    'rgb(46, 125, 50)');
  assert.equal(await page.getByRole('meter', { name: 'Memory' }).getAttribute('aria-valuetext'),
    '7.5 GB');

  const hr = page.getByRole('separator');
  assert.equal(await hr.count(), 2);
  assert.ok((await hr.first().boundingBox()).width > 200, 'the divider spans its card');
  await page.evaluate(() => scrollTo(0, 0)); // the sticky header back at the top
  await screenshot(page, 'panes');
  clean(r);
});

test('a click changes them live: the bar moves, the spinner stops, the dots flip', async (t) => {
  const r = await open(t);
  const { page } = r;
  await page.getByRole('button', { name: 'Advance' }).click();
  await eventually(async () => {
    assert.equal(await bar(page, 'Upload').getAttribute('aria-valuenow'), '65');
  });
  const spinner = page.getByRole('status', { name: 'Fetched' });
  assert.equal(await spinner.getAttribute('aria-busy'), 'false');
  assert.equal(await spinner.locator('.pn-loading-spinner-name').textContent(), 'Fetched');
  await page.getByRole('img', { name: 'Database: off' }).waitFor();
  await page.getByRole('img', { name: 'Cache: on' }).waitFor();
  const status = page.getByRole('alert').first();
  assert.equal((await status.textContent()).trim(), 'Step 1 done: upload at 65 %');
  assert.match(await status.getAttribute('class'), /pn-color-info/);
  assert.equal(await page.locator('pre.pn-str').textContent(),
    'step  upload  state\n   0   40.0  <start>\n   1   65.0  <ok>');
  const requests = page.locator('.pn-trend', { hasText: 'Requests' });
  assert.equal(await requests.locator('.pn-trend-value').textContent(), '21.0/s');
  assert.equal(await requests.locator('.pn-trend-change').textContent(), '▲ +23.53%');
  assert.match(await requests.getAttribute('class'), /pn-trend-up/);
  const cpu = page.getByRole('meter', { name: 'CPU' });
  assert.equal(await cpu.getAttribute('aria-valuetext'), '62%');
  assert.equal(await cpu.locator('.pn-gauge-bar').evaluate((el) => getComputedStyle(el).stroke),
    'rgb(237, 108, 2)');
  const state = page.locator('.pn-json').first();
  assert.match(await state.textContent(), /step: 1/);
  assert.match(await state.textContent(), /percent: 65/);
  await state.locator('summary', { hasText: 'tags' }).click(); // opened by the visitor …
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Advance' }).click();
  await eventually(async () => {
    assert.equal(await bar(page, 'Upload').getAttribute('aria-valuenow'), '100', 'full, not 140');
    assert.match(await status.getAttribute('class'), /pn-color-success/);
    assert.equal((await status.textContent()).trim(), 'Step 4 done: upload at 100 %');
  });
  await eventually(async () => assert.match(await state.textContent(), /done: true/));
  assert.equal(await state.locator('summary', { hasText: 'tags' }).locator('..')
    .getAttribute('open'), '', '… stays open across patches');
  await page.waitForTimeout(400); // the width's transition
  await page.evaluate(() => scrollTo(0, 0));
  await screenshot(page, 'panes-advanced');
  clean(r);
});

test('pictures are shown at their size, served immutable, and a click paints another', async (t) => {
  const r = await open(t);
  const { page } = r;
  const bars = page.getByRole('img', { name: 'Bars', exact: true });
  const shown = (img) => img.evaluate((el) => ({
    src: el.getAttribute('src'), complete: el.complete, natural: el.naturalWidth,
    w: el.getAttribute('width'), h: el.getAttribute('height'),
    caption: el.parentElement.querySelector('figcaption')?.textContent ?? null,
  }));
  await eventually(async () => assert.ok((await shown(bars)).complete));
  const first = await shown(bars);
  assert.match(first.src, /^\/_pane\/img\/[0-9a-f]{64}\.png$/);
  assert.deepEqual([first.natural, first.w, first.h, first.caption], [96, '96', '48', 'Painted in C']);
  const line = page.getByRole('img', { name: 'A line', exact: true });
  await eventually(async () => assert.equal((await shown(line)).natural, 120, 'the SVG is drawn'));
  assert.equal(await page.title(), 'Panes', "the SVG's script did not run");
  // pn_size: a width given is the picture's; a height given, the picture contained in it
  const box = (name) => page.getByRole('img', { name, exact: true }).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return [Math.round(r.width), Math.round(r.height)];
  });
  await eventually(async () => assert.deepEqual(await box('A wide line'), [240, 96]));
  await eventually(async () => assert.deepEqual(await box('Tall bars'), [240, 120]));
  const res = await page.request.get(new URL(first.src, pane.url).href);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'image/png');
  assert.equal(res.headers()['cache-control'], 'public, max-age=31536000, immutable');

  await page.getByRole('button', { name: 'Repaint' }).click();
  const painted = page.getByRole('img', { name: 'Bars, painted 1 times' });
  await eventually(async () => {
    const now = await shown(painted);
    assert.ok(now.complete && now.natural === 112, `natural width ${now.natural}`);
  });
  const now = await shown(painted);
  assert.notEqual(now.src, first.src, 'another picture, another URL');
  assert.deepEqual([now.w, now.h, now.caption], ['112', '48', 'Painted in C, 1']);
  await page.evaluate(() => scrollTo(0, 0));
  await screenshot(page, 'panes-pictures');
  clean(r);

  // the SVG opened on its own: its policy sandboxes it, so its script does not run either
  const svgSrc = await line.getAttribute('src');
  const direct = await browser.newPage();
  t.after(() => direct.close());
  const resp = await direct.goto(new URL(svgSrc, pane.url).href);
  assert.equal(resp.headers()['content-type'], 'image/svg+xml');
  assert.match(resp.headers()['content-security-policy'], /sandbox/);
  assert.notEqual(await direct.evaluate(() => document.title), 'pwned');
});

test('under prefers-reduced-motion nothing turns or slides', async (t) => {
  const r = await open(t, { reducedMotion: true });
  const names = await r.page.evaluate(() => ({
    spin: getComputedStyle(document.querySelector('.pn-loading-spinner-on > span'))
      .animationName,
    slide: getComputedStyle(document.querySelector('.pn-progress-indeterminate .pn-progress-bar'))
      .animationName,
  }));
  assert.deepEqual(names, { spin: 'pn-fade', slide: 'pn-fade' });
  clean(r);
});

test('on a narrow screen nothing is wider than the page', async (t) => {
  const r = await open(t);
  await r.page.setViewportSize({ width: 390, height: 844 });
  const wide = await r.page.evaluate(() => [...document.querySelectorAll('#pn-main *')]
    .filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5 &&
      !el.closest('.pn-str, .pn-json')) // these scroll sideways inside their box
    .map((el) => el.className || el.localName));
  assert.deepEqual(wide, []);
  assert.ok(await r.page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
  await screenshot(r.page, 'panes-narrow');
  clean(r);
});
