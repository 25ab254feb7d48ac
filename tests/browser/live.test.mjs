// The live session of examples/weather.c (its temperature changes every 2 s): values arrive
// without a reload, the first doc does not flash the page, and after the server goes away the
// page shows .pn-reconnecting until a new server on the same port takes over.
// Screenshots: live-weather.png, live-reconnecting.png, live-reconnected.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, screenshot, startPane, watchPage } from './lib.mjs';
import { dumpFrames, mainProbe, paneState, portOf, probeMain, recordFrames, waitForDocs } from './live-lib.mjs';

let pane, browser;

before(async () => {
  pane = await startPane({ app: 'examples/weather.c' });
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

const temperature = (page) => page.locator('.pn-number-value').first().textContent();

// Waits until the temperature reads something other than `was` (two ticks fit in 5 s; a tick
// may draw the same number, so allow a few more).
async function changedFrom(page, was, timeout = 9000) {
  await page.waitForFunction(
    (w) => document.querySelector('.pn-number-value')?.textContent !== w, was, { timeout });
  return temperature(page);
}

test('values arrive without a reload, the first doc does not flash, reconnects', async (t) => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  const frames = recordFrames(page);
  await probeMain(page);
  t.after(async () => {
    if (t.passed === false) dumpFrames(t, frames);
    await page.close();
  });
  let loads = 0;
  page.on('load', () => loads++);
  await page.goto(`${pane.url}?city=Paris`, { waitUntil: 'load' }); // the query rides in hello
  await page.evaluate(() => (window.__sameDocument = true));

  await t.test('hydrated in place', async () => {
    await waitForDocs(page);
    const st = await paneState(page);
    assert.equal(st.connected, true);
    assert.equal(st.hydration, 'kept', 'the doc matched the served page');
    assert.deepEqual(await mainProbe(page), { sameMain: true, sameFirst: true, removals: 0 });
  });

  await t.test('the temperature changes within ~5 s, no reload', async () => {
    const first = await temperature(page);
    const started = Date.now();
    const next = await changedFrom(page, first);
    t.diagnostic(`"${first}" -> "${next}" after ${Date.now() - started} ms`);
    assert.match(next, /^-?\d+ °C$/);
    assert.equal(loads, 1, 'no reload');
    assert.equal(await page.evaluate(() => window.__sameDocument), true);
    const probe = await mainProbe(page);
    assert.deepEqual(probe, { sameMain: true, sameFirst: true, removals: 0 }, 'patched in place');
    await screenshot(page, 'live-weather');
  });

  await t.test('server gone: the indicator shows', async () => {
    assert.equal(await page.locator('.pn-reconnecting').count(), 0);
    assert.equal(await pane.stop(), 0);
    const pill = page.locator('.pn-reconnecting');
    await pill.waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await pill.getAttribute('role'), 'status');
    assert.equal(await pill.getAttribute('aria-live'), 'polite');
    assert.equal((await pill.textContent()).trim(), 'Reconnecting…');
    assert.equal((await paneState(page)).connected, false);
    await screenshot(page, 'live-reconnecting');
  });

  await t.test('a new server on the same port: live again, indicator gone', async () => {
    const docs = (await paneState(page)).docs;
    const mark = frames.length;
    pane = await startPane({ app: 'examples/weather.c', args: ['--port', portOf(pane.url)] });
    await waitForDocs(page, docs + 1, 20_000); // backoff tops out at 10 s
    await page.locator('.pn-reconnecting').waitFor({ state: 'detached', timeout: 5000 });
    assert.equal((await paneState(page)).connected, true);
    const now = await temperature(page);
    const next = await changedFrom(page, now);
    assert.match(next, /^-?\d+ °C$/);
    assert.equal(loads, 1, 'still no reload');
    assert.equal(await page.evaluate(() => window.__sameDocument), true);
    assert.equal(await page.title(), 'Paris Weather', 'the fresh session came from the query');
    await screenshot(page, 'live-reconnected');
    t.diagnostic('after the restart:');
    for (const f of frames.slice(mark, mark + 8)) t.diagnostic(f.slice(0, 200));
  });

  assert.deepEqual(seen.pageErrors, [], 'uncaught script errors');
  assert.deepEqual(seen.dialogs, []);
});
