// A page whose live doc is over the server's 16 MiB bound (tests/apps/bigdoc.c: a ~10 MB page,
// a ~20 MB doc): the page is shown, the socket gets error "too-big" and close 4413, and the
// client says so on the page (.pn-fatal, role alert) and does not retry: one socket only, no
// "Reconnecting…". It used to re-encode and retry forever. (No screenshot: the 10 MB page is
// too tall to capture in time.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, startPane } from './lib.mjs';
import { paneState } from './live-lib.mjs';

let pane, browser;

before(async () => {
  pane = await startPane({ app: 'tests/apps/bigdoc.c' });
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

test('a doc over the bound: a notice on the page, no retry', async (t) => {
  const page = await browser.newPage();
  t.after(() => page.close());
  let sockets = 0;
  page.on('websocket', () => sockets++);
  const res = await page.goto(pane.url, { waitUntil: 'load', timeout: 60_000 });
  assert.equal(res.status(), 200, 'the page itself is served');
  const notice = page.locator('.pn-fatal');
  await notice.waitFor({ state: 'visible', timeout: 20_000 });
  assert.equal(await notice.getAttribute('role'), 'alert');
  assert.match(await notice.textContent(), /too large to stay live.*Reload/);
  // a retry would come within 0.6 s (the first backoff); watch several times that long
  await page.waitForTimeout(3000);
  assert.equal(sockets, 1, 'one socket, no retries');
  assert.equal(await page.locator('.pn-reconnecting').count(), 0);
  const st = await paneState(page);
  assert.equal(st.connected, false);
  assert.match(String(st.fatal), /too large/);
  assert.ok(await page.locator('.pn-markdown').count(), 'the served page stays');
});
