// --reuse-sessions in the browser (DESIGN.md §1 steps 4–7, the convergence rule), with
// `--reuse-sessions --global-loading-spinner --warm` and two apps: examples/weather.c (its
// pn_session_key keys by ?city=) and tests/apps/weather_nokey.c (the same app without one).
//
//   - the spinner (#pn-loading, role=status) is on screen before the live doc: the page's
//     WebSocket is held back by the test (page.routeWebSocket) until the screenshot is taken;
//     the numbers are in the served HTML (before any script) and visible under the spinner;
//     once the socket goes through, the doc arrives, the spinner is gone and the numbers go
//     live (the temperature changes within a few seconds);
//   - WITHOUT a key function /weather_nokey?city=Paris is served from the Berlin page --warm
//     cached, and converges: document.title and the header read "Paris Weather";
//   - WITH the key function a cached /weather?city=Rome shows no visible change when the live
//     doc arrives: the title is never anything but "Rome Weather", #pn-main and its first child
//     are the very elements the HTML made.
// Screenshots: reuse-spinner.png, reuse-live.png, reuse-converged.png, reuse-keyed.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, screenshot, startPane, watchPage } from './lib.mjs';
import { dumpFrames, mainProbe, paneState, probeMain, recordFrames, waitForDocs } from './live-lib.mjs';

let pane, browser, weather, nokey;

before(async () => {
  pane = await startPane({
    app: ['examples/weather.c', 'tests/apps/weather_nokey.c'],
    args: ['--reuse-sessions', '--global-loading-spinner', '--warm'],
  });
  weather = pane.urls.find((u) => u.endsWith('/weather'));
  nokey = pane.urls.find((u) => u.endsWith('/weather_nokey'));
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  const how = await pane?.stop();
  assert.equal(how, 0, `pane exited with ${how}`);
});

const temperature = (page) => page.locator('.pn-number-value').first().textContent();

// Records every value document.title and the header bar take, from before pane.js runs.
async function probeTitles(page) {
  await page.addInitScript(() => {
    const seen = [];
    Object.defineProperty(window, '__pnTitles', { value: seen });
    const note = () => {
      const h = document.querySelector('.pn-header-title');
      const v = `${document.title} | ${h ? h.textContent : ''}`;
      if (seen.at(-1) !== v) seen.push(v);
    };
    document.addEventListener('readystatechange', () => {
      if (document.readyState !== 'interactive') return;
      note();
      new MutationObserver(note).observe(document.documentElement, {
        subtree: true, childList: true, characterData: true,
      });
    });
  });
}
const titles = (page) => page.evaluate(() => window.__pnTitles.slice());

test('the spinner covers the cached page until the live doc, then the numbers go live', async (t) => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  const frames = recordFrames(page);
  t.after(async () => {
    if (t.passed === false) dumpFrames(t, frames);
    await page.close();
  });
  // hold the socket: the page's hello waits here until release()
  let release;
  const released = new Promise((r) => (release = r));
  let opened = 0;
  await page.routeWebSocket(/\/ws(\?|$)/, async (ws) => {
    opened++;
    const pending = [];
    let server = null;
    ws.onMessage((m) => (server ? server.send(m) : pending.push(m)));
    await released;
    server = ws.connectToServer();
    server.onMessage((m) => ws.send(m));
    server.onClose((code, reason) => ws.close({ code, reason }));
    ws.onClose((code, reason) => server.close({ code, reason }));
    for (const m of pending) server.send(m);
  });

  const resp = await page.goto(weather, { waitUntil: 'load' });
  const html = await resp.text();

  await t.test('served from the warm cache, spinner and numbers in the HTML', async () => {
    assert.equal(resp.status(), 200);
    assert.equal(resp.headers()['x-pane-cache'], 'hit', 'the first request after --warm');
    assert.match(html, /"token":null/);
    assert.match(html, /id="pn-loading"[^>]*role="status"|role="status"[^>]*id="pn-loading"/);
    // the numbers are server-rendered: present before any script runs
    assert.match(html, /class="pn-number-value"[^>]*>-?\d+ °C</);
    assert.match(html, /class="pn-number-value"[^>]*>\d+%</);
    assert.match(html, /<title>Berlin Weather<\/title>/);
  });

  await t.test('before the doc: the spinner is on screen over visible numbers', async () => {
    await page.waitForFunction(() => window.pane !== undefined, null, { timeout: 5000 });
    assert.equal(opened, 1, 'the page opened its socket (held by the test)');
    assert.equal((await paneState(page)).docs, 0, 'no doc yet');
    const spinner = page.locator('#pn-loading');
    assert.equal(await spinner.isVisible(), true, 'the spinner is visible');
    assert.equal(await spinner.getAttribute('role'), 'status');
    const box = await spinner.boundingBox();
    assert.ok(box && box.width >= 1000 && box.height >= 700, `covers the page: ${JSON.stringify(box)}`);
    assert.match(await temperature(page), /^-?\d+ °C$/);
    assert.equal(await page.locator('.pn-number-value').first().isVisible(), true);
    await screenshot(page, 'reuse-spinner');
  });

  await t.test('after the doc: the spinner is gone', async () => {
    release();
    await waitForDocs(page);
    const st = await paneState(page);
    assert.equal(st.connected, true);
    await page.locator('#pn-loading').waitFor({ state: 'detached', timeout: 2000 });
    assert.equal(await page.locator('#pn-loading').count(), 0);
  });

  await t.test('the numbers go live (the temperature changes within ~5 s)', async () => {
    const first = await temperature(page);
    const started = Date.now();
    // a 2 s tick: two or more fit in 5 s; a tick may draw the same number, so allow a few more
    await page.waitForFunction(
      (w) => document.querySelector('.pn-number-value')?.textContent !== w, first, { timeout: 9000 });
    const next = await temperature(page);
    t.diagnostic(`"${first}" -> "${next}" after ${Date.now() - started} ms`);
    assert.match(next, /^-?\d+ °C$/);
    await screenshot(page, 'reuse-live');
    assert.deepEqual(seen.pageErrors, []);
    assert.deepEqual(seen.dialogs, []);
  });
});

test('without a key function: Berlin\'s cached page converges to Paris', async (t) => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  const frames = recordFrames(page);
  await probeTitles(page);
  t.after(async () => {
    if (t.passed === false) dumpFrames(t, frames);
    await page.close();
  });
  const resp = await page.goto(`${nokey}?city=Paris`, { waitUntil: 'load' });
  const html = await resp.text();
  assert.equal(resp.headers()['x-pane-cache'], 'hit', 'the default page, warmed');
  assert.match(html, /<title>Berlin Weather<\/title>/, 'the shell is Berlin\'s');
  await waitForDocs(page);
  await page.waitForFunction(() => document.title === 'Paris Weather', null, { timeout: 5000 });
  assert.equal(await page.locator('.pn-header-title').textContent(), 'Paris Weather');
  assert.equal(await page.locator('#pn-loading').count(), 0);
  const st = await paneState(page);
  t.diagnostic(`hydration: ${st.hydration}; titles seen: ${JSON.stringify(await titles(page))}`);
  const seenTitles = await titles(page);
  assert.equal(seenTitles[0], 'Berlin Weather | Berlin Weather', 'first paint: the cached shell');
  assert.equal(seenTitles.at(-1), 'Paris Weather | Paris Weather', 'converged');
  await screenshot(page, 'reuse-converged');
  assert.deepEqual(seen.pageErrors, []);
});

test('with the key function: no visible change when the live doc arrives', async (t) => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  const frames = recordFrames(page);
  await probeMain(page);
  await probeTitles(page);
  t.after(async () => {
    if (t.passed === false) dumpFrames(t, frames);
    await page.close();
  });
  // Rome's page into the cache, then the visit is a hit on it
  const prime = await page.request.get(`${weather}?city=Rome`);
  assert.equal(prime.headers()['x-pane-cache'], 'miss');
  const resp = await page.goto(`${weather}?city=Rome`, { waitUntil: 'load' });
  assert.equal(resp.headers()['x-pane-cache'], 'hit');
  await waitForDocs(page);
  await page.locator('#pn-loading').waitFor({ state: 'detached', timeout: 2000 });
  await new Promise((r) => setTimeout(r, 300)); // any late change would show up by now
  const st = await paneState(page);
  const probe = await mainProbe(page);
  const seenTitles = await titles(page);
  t.diagnostic(`hydration: ${st.hydration}; probe: ${JSON.stringify(probe)}; titles: ${JSON.stringify(seenTitles)}`);
  await screenshot(page, 'reuse-keyed');

  await t.test('the title and header never change', () => {
    assert.deepEqual(seenTitles, ['Rome Weather | Rome Weather']);
  });

  await t.test('#pn-main and its first child are the elements the HTML made', () => {
    // The live session behind a cached page is a fresh one (made at hello): its random
    // numbers differ from the cached page's, so its doc.html differs. pane.js then replaces ALL
    // of #pn-main's children (hydration "replaced") instead of only the nodes that differ.
    assert.deepEqual(probe, { sameMain: true, sameFirst: true, removals: 0 },
      `hydration "${st.hydration}": #pn-main's children were replaced`);
  });
  assert.deepEqual(seen.pageErrors, []);
});
