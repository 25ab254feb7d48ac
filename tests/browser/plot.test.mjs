// Plots in a real browser (tests/apps/plot.c, examples/monitor.c, examples/explorer.c): the
// server's SVG chart with JavaScript off, uPlot taking over in the same box (no layout shift),
// streamed points arriving, a slider redrawing the explorer's curve, the plot library loaded
// only by pages that hold a plot, and no console error. Screenshots in tests/browser/screenshots/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openBrowser, screenshot, startPane, watchPage } from './lib.mjs';
import { routeSockets } from './live-lib.mjs';

let pane, examples, browser, nojs;

before(async () => {
  pane = await startPane({ app: 'tests/apps/plot.c' });
  examples = await startPane({ app: ['examples/monitor.c', 'examples/explorer.c', 'examples/weather.c'] });
  browser = await openBrowser();
  nojs = await openBrowser({ javaScriptEnabled: false });
});

after(async () => {
  await browser?.close();
  await nojs?.close();
  await pane?.stop();
  await examples?.stop();
});

const appUrl = (srv, name) => srv.urls.find((u) => u.endsWith('/' + name));

test('without JavaScript the chart is in the page as SVG, with title, axes and legend', async () => {
  const page = await nojs.newPage();
  await page.goto(`${pane.url}?mode=stream`);
  const plot = page.locator('.pn-plot');
  assert.equal((await plot.locator('.pn-plot-title').textContent()).trim(), 'Stream');
  const svg = plot.locator('svg.pn-plot-svg');
  assert.ok(await svg.isVisible());
  assert.match(await svg.getAttribute('aria-label'), /^Stream: 200 points of 2 series$/);
  const d = await svg.locator('path').first().getAttribute('d');
  assert.ok(d.split('L').length >= 190, `the first series is drawn through its points (${d.length} bytes)`);
  const box = await svg.boundingBox();
  assert.ok(box.width > 300 && box.height > 100, `the chart has room (${box.width}x${box.height})`);
  const keys = await plot.locator('.pn-plot-legend .pn-plot-key').allTextContents();
  assert.deepEqual(keys.map((k) => k.trim()), ['up', 'down']);
  assert.equal((await plot.locator('.pn-plot-y span').first().textContent()).trim(), '199');
  await screenshot(page, 'plot-nojs');
  await page.close();
});

test('uPlot takes over in the same box and new points keep coming', async () => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  const scripts = [];
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
  // the box as the server drew it, measured with JavaScript off
  const still = await nojs.newPage();
  await still.goto(`${pane.url}?mode=stream`);
  const before = await still.locator('.pn-plot').boundingBox();
  await still.close();
  await page.goto(`${pane.url}?mode=stream`);
  await eventually(async () => assert.equal(await page.locator('.pn-plot .pn-plot-live canvas').count(), 1));
  const live = await page.locator('.pn-plot').boundingBox();
  assert.deepEqual(live, before, 'the plot keeps its box: no layout shift');
  assert.equal(await page.locator('.pn-plot svg.pn-plot-svg').isVisible(), false, 'the SVG steps aside');
  const first = await page.evaluate(() => window.panePlots()[0]);
  assert.ok(first.len >= 200, `the window came (${first.len} points)`);
  await page.waitForTimeout(600);
  const later = await page.evaluate(() => window.panePlots()[0]);
  assert.ok(later.seen > first.seen + 30, `points streamed in (${first.seen} -> ${later.seen})`);
  assert.equal(later.last, later.seen - 1, 'the last x is the count so far: nothing lost or repeated');
  assert.ok(scripts.some((p) => p.endsWith('/plot.js')), 'a page with a plot loads plot.js');
  await screenshot(page, 'plot-stream');
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.consoleErrors, []);
  await page.close();
});

test('a page without a plot does not load the plot library', async () => {
  const page = await browser.newPage();
  const scripts = [];
  page.on('request', (r) => scripts.push(new URL(r.url()).pathname));
  await page.goto(appUrl(examples, 'weather'));
  await page.locator('.pn-number').first().waitFor();
  assert.ok(!scripts.some((p) => /\/plot\.(js|css)$/.test(p)), scripts.join(' '));
  await page.close();
});

test('monitor: numbers and a live chart of CPU and memory', async () => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  await page.goto(appUrl(examples, 'monitor'));
  await eventually(async () => assert.equal(await page.locator('.pn-plot-live canvas').count(), 1));
  const names = (await page.locator('.pn-number-name').allTextContents()).map((s) => s.trim());
  assert.deepEqual(names, ['Load (1 min)', 'CPU', 'Memory']);
  const n0 = (await page.evaluate(() => window.panePlots()[0])).seen;
  await eventually(async () => {
    const n = (await page.evaluate(() => window.panePlots()[0])).seen;
    assert.ok(n >= n0 + 2, `a sample a second (${n0} -> ${n})`);
  }, 5000);
  await screenshot(page, 'monitor');
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.consoleErrors, []);
  await page.close();
});

test('explorer: a slider redraws the curve and the number', async () => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  await page.goto(appUrl(examples, 'explorer'));
  await eventually(async () => assert.equal(await page.locator('.pn-plot-live canvas').count(), 1));
  const settle = page.locator('.pn-number-value');
  assert.equal((await settle.textContent()).trim(), '15.9 s');
  const damping = page.getByRole('slider', { name: /Damping/ });
  await damping.fill('0.5');
  await eventually(async () => assert.equal((await settle.textContent()).trim(), '3.2 s'));
  const p = await page.evaluate(() => window.panePlots()[0]);
  assert.equal(p.len, 800, 'the whole curve, replaced');
  await screenshot(page, 'explorer');
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.consoleErrors, []);
  await page.close();
});

// The client's decoder of data messages, fuzzed: garbage, truncated and lying records (sizes past
// the message, unknown ids and ops, other series counts, NaN and infinities) are warnings, never
// an exception, and the plot goes on streaming.
test('data messages the client cannot use are ignored (fuzz)', async () => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  const sock = await routeSockets(page);
  await page.goto(`${pane.url}?mode=stream`);
  await eventually(async () => assert.equal(await page.locator('.pn-plot-live canvas').count(), 1));
  const id = +(await page.locator('.pn-plot').getAttribute('id')).slice(3);
  let seed = 12345;
  const rnd = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const record = (rid, op, k, n, vals) => {
    const b = Buffer.alloc(16 + 8 * vals.length);
    b.writeUInt32LE(rid, 0), b.writeUInt8(op, 4), b.writeUInt8(k, 5), b.writeUInt32LE(n, 8);
    vals.forEach((v, i) => b.writeDoubleLE(v, 16 + 8 * i));
    return b;
  };
  const msg = (version, ...recs) => Buffer.concat([Buffer.from([version, 0, 0, 0, 0, 0, 0, 0]), ...recs]);
  const odd = [NaN, Infinity, -Infinity, 1e308, -0, 5e-324];
  for (let i = 0; i < 400; i++) {
    const n = rnd(4), k = rnd(4), vals = Array.from({ length: n * (1 + k) }, () =>
      (rnd(3) ? rnd(1000) : odd[rnd(odd.length)]));
    const rid = [id, id, 999, 0][rnd(4)], op = [1, 2, 3, 0][rnd(4)];
    let m = msg(rnd(8) ? 1 : rnd(256), record(rid, op, k, rnd(5) ? n : n + 1 + rnd(1 << 20), vals));
    if (!rnd(4)) m = m.subarray(0, rnd(m.length + 1)); // truncated anywhere
    if (!rnd(8)) m = Buffer.from(Array.from({ length: rnd(64) }, () => rnd(256))); // noise
    sock.inject(m);
  }
  const before = (await page.evaluate(() => window.panePlots()[0])).seen;
  await eventually(async () => {
    const now = (await page.evaluate(() => window.panePlots()[0])).seen;
    assert.ok(now > before + 20, `still streaming (${before} -> ${now})`);
  });
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.consoleErrors, []);
  await page.close();
});
