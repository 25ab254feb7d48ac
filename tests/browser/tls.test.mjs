// The weather example over HTTPS (pane serve --ssl-certfile/--ssl-keyfile with a self-signed
// certificate made here by openssl): the page loads over https, its socket is wss (derived from
// location), live values arrive without a reload, and nothing fails: no console error, no
// failed request, no page error. Screenshot: tls-weather.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBrowser, screenshot, startPane, watchPage } from './lib.mjs';
import { paneState, waitForDocs } from './live-lib.mjs';

let pane, browser, dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pane-tls-browser-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  pane = await startPane({
    app: 'examples/weather.c',
    args: ['--ssl-certfile', join(dir, 'cert.pem'), '--ssl-keyfile', join(dir, 'key.pem')],
  });
  browser = await openBrowser({ ignoreHTTPSErrors: true });
});

after(async () => {
  await browser?.close();
  await pane?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('weather over https: live values over wss, no errors', async (t) => {
  assert.match(pane.url, /^https:\/\/127\.0\.0\.1:\d+\/weather$/);
  const page = await browser.newPage();
  const seen = watchPage(page);
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  let loads = 0;
  page.on('load', () => loads++);
  const res = await page.goto(pane.url, { waitUntil: 'load' });
  assert.equal(res.status(), 200);
  assert.equal(await page.title(), 'Berlin Weather');
  await waitForDocs(page);
  assert.equal((await paneState(page)).connected, true);
  assert.ok(sockets.length >= 1 && sockets.every((u) => u.startsWith('wss://127.0.0.1:')),
    `the page's sockets are wss: ${sockets}`);

  const value = () => page.locator('.pn-number-value').first().textContent();
  const first = await value();
  await page.waitForFunction(
    (w) => document.querySelector('.pn-number-value')?.textContent !== w, first, { timeout: 9000 });
  const next = await value();
  t.diagnostic(`"${first}" -> "${next}"`);
  assert.match(next, /^-?\d+ °C$/);
  assert.equal(loads, 1, 'no reload');
  await screenshot(page, 'tls-weather');
  assert.deepEqual(seen.consoleErrors, []);
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.badResponses, []);
  assert.deepEqual(seen.dialogs, []);
  await page.close();
  assert.equal(await pane.stop(), 0);
});
