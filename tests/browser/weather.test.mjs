// The weather example in a real browser: title, header, the two numbers and their layout,
// ?city=, escaping of hostile cities (no dialog, no injected element), and the page without
// JavaScript. Screenshots land in tests/browser/screenshots/ for review.
//
//   node --test tests/browser/            (PANE_BIN=build/dev/pane by default)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openBrowser, screenshot, startPane, watchPage } from './lib.mjs';

let pane;
let browser;

before(async () => {
  pane = await startPane();
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

function withCity(city) {
  return `${pane.url}?city=${encodeURIComponent(city)}`;
}

// Checks both numbers: names, units, ranges, visibility. Returns the two .pn-card boxes.
async function checkNumbers(page) {
  const main = page.locator('main.pn-main#pn-main');
  await main.waitFor({ state: 'visible', timeout: 10_000 });
  return eventually(async () => {
    const cards = main.locator('.pn-row .pn-card');
    assert.equal(await cards.count(), 2, 'two .pn-card in a .pn-row in main');
    const names = await main.locator('.pn-number .pn-number-name').allTextContents();
    assert.deepEqual(names.map((s) => s.trim()), ['Temperature', 'Humidity']);
    const values = main.locator('.pn-number .pn-number-value');
    assert.equal(await values.count(), 2);
    for (let i = 0; i < 2; i++)
      assert.ok(await values.nth(i).isVisible(), `number ${i + 1} is visible`);
    const [t, h] = (await values.allTextContents()).map((s) => s.trim());
    const tm = /^(-?\d+) °C$/.exec(t);
    assert.ok(tm, `temperature "${t}" reads "N °C"`);
    assert.ok(+tm[1] >= -20 && +tm[1] <= 45, `temperature ${tm[1]} in -20..45`);
    const hm = /^(\d+)%$/.exec(h);
    assert.ok(hm, `humidity "${h}" reads "N%"`);
    assert.ok(+hm[1] >= 0 && +hm[1] <= 100, `humidity ${hm[1]} in 0..100`);
    return [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
  }, 10_000);
}

async function checkTitle(page, text) {
  await eventually(async () => {
    assert.equal(await page.title(), text);
    const h1 = page.locator('header.pn-header h1.pn-header-title');
    assert.equal((await h1.textContent())?.trim(), text);
    assert.ok(await h1.isVisible(), 'header title visible');
  });
}

test('Berlin: title, header, two numbers side by side', async () => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  const res = await page.goto(pane.url, { waitUntil: 'load' });
  assert.equal(res.status(), 200);
  await checkTitle(page, 'Berlin Weather');
  const [a, b] = await checkNumbers(page);
  assert.ok(a && b, 'both cards have a box');
  assert.ok(Math.abs(a.y - b.y) < 1, `cards share a top (${a.y} vs ${b.y})`);
  assert.notEqual(a.x, b.x, 'cards have different lefts');
  assert.ok(b.x >= a.x + a.width - 1, `second card is right of the first (${JSON.stringify({ a, b })})`);
  assert.ok(a.width > 50 && a.height > 20, 'first card has a real size');
  await screenshot(page, 'weather-berlin');
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
});

test('Berlin: no failed requests, no console errors, no script errors', async () => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  await page.goto(pane.url, { waitUntil: 'load' });
  await checkNumbers(page);
  await page.waitForTimeout(1500); // let the live session connect and render
  await checkNumbers(page); // still right after the live document replaced the first paint
  assert.deepEqual(seen.badResponses, [], 'failed or >= 400 responses');
  assert.deepEqual(seen.pageErrors, [], 'uncaught script errors');
  assert.deepEqual(seen.consoleErrors, [], 'console errors');
  await page.close();
});

test('?city=Paris', async () => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  await page.goto(withCity('Paris'), { waitUntil: 'load' });
  await checkTitle(page, 'Paris Weather');
  await checkNumbers(page);
  await screenshot(page, 'weather-paris');
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
});

const payloads = [
  ['xss-script', '<script>alert(1)</script>'],
  ['xss-img', '"><img src=x onerror=alert(1)>'],
];
for (const [name, payload] of payloads) {
  test(`hostile city shows as text: ${payload}`, async () => {
    const page = await browser.newPage();
    const seen = watchPage(page);
    await page.goto(withCity(payload), { waitUntil: 'load' });
    await checkTitle(page, `${payload} Weather`);
    await checkNumbers(page);
    await page.waitForTimeout(1000); // time for any injected handler to fire
    const injected = await page.evaluate(() => ({
      imgs: document.querySelectorAll('img[src="x"]').length,
      handlers: document.querySelectorAll('[onerror],[onload]').length,
      scripts: [...document.scripts].filter((s) => s.textContent.includes('alert(')).length,
    }));
    assert.deepEqual(injected, { imgs: 0, handlers: 0, scripts: 0 }, 'no injected element');
    await screenshot(page, `weather-${name}`);
    assert.deepEqual(seen.dialogs, [], 'no dialog fired');
    assert.deepEqual(seen.pageErrors, []);
    await page.close();
  });
}

test('works with JavaScript disabled', async () => {
  const nojs = await openBrowser({ javaScriptEnabled: false });
  try {
    const page = await nojs.newPage();
    const res = await page.goto(pane.url, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    await checkTitle(page, 'Berlin Weather');
    const [a, b] = await checkNumbers(page);
    assert.ok(Math.abs(a.y - b.y) < 1 && b.x >= a.x + a.width - 1, 'cards side by side');
    await screenshot(page, 'weather-nojs');
  } finally {
    await nojs.close();
  }
});

test('pane exits 0 on SIGTERM', async () => {
  await browser.close();
  browser = null;
  assert.equal(await pane.stop(), 0);
});
