// Widgets in a real browser, through pane.js and the live session: examples/widgets.c (a
// button that counts, a slider that drives a number) and tests/apps/gallery.c (every widget,
// and a button that changes them all from the app). Screenshots: widgets*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openBrowser, screenshot, startPane } from './lib.mjs';
import { assertClean, mainProbe, openLive, paneState, waitForDocs } from './live-lib.mjs';

let pane, browser, widgetsUrl, galleryUrl;

before(async () => {
  pane = await startPane({ app: ['examples/widgets.c', 'tests/apps/gallery.c'] });
  widgetsUrl = pane.urls.find((u) => u.endsWith('/widgets'));
  galleryUrl = pane.urls.find((u) => u.endsWith('/gallery'));
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

const open = (t, url) => openLive(browser, t, url);
const clean = (r) => assertClean(r);

const numberText = (page, name) =>
  page.locator('.pn-number', { has: page.locator('.pn-number-name', { hasText: name }) })
    .locator('.pn-number-value').textContent();

test('the page hydrates in place: same #pn-main children after the doc', async (t) => {
  const r = await open(t, widgetsUrl);
  const st = await paneState(r.page);
  assert.equal(st.connected, true);
  assert.equal(st.hydration, 'kept');
  assert.match(st.token, /^[\w-]+\.[\w-]+$/);
  assert.deepEqual(await mainProbe(r.page), { sameMain: true, sameFirst: true, removals: 0 });
  clean(r);
});

test('clicking the button counts', async (t) => {
  const r = await open(t, widgetsUrl);
  const button = r.page.getByRole('button', { name: 'Add one' });
  assert.equal((await numberText(r.page, 'Clicks')).trim(), '0');
  for (let i = 1; i <= 3; i++) {
    await button.click();
    await eventually(async () => assert.equal((await numberText(r.page, 'Clicks')).trim(), String(i)));
  }
  const sent = r.frames.filter((f) => f.startsWith('>> ') && f.includes('"clicks"'));
  assert.equal(sent.length, 3, 'one event per click');
  await screenshot(r.page, 'widgets-counter');
  clean(r);
});

test('the slider drives the number: keyboard and fill', async (t) => {
  const r = await open(t, widgetsUrl);
  const slider = r.page.getByRole('slider', { name: /Level/ });
  const shown = r.page.locator('.pn-slider-value');
  assert.equal((await numberText(r.page, 'Level')).trim(), '50%');
  await slider.focus();
  for (let i = 0; i < 5; i++) await slider.press('ArrowRight');
  assert.equal((await shown.textContent()).trim(), '55', 'the shown value follows at once');
  await eventually(async () => assert.equal((await numberText(r.page, 'Level')).trim(), '55%'));
  await slider.fill('80');
  assert.equal((await shown.textContent()).trim(), '80');
  await eventually(async () => assert.equal((await numberText(r.page, 'Level')).trim(), '80%'));
  assert.equal(await slider.evaluate((e) => e === document.activeElement), true, 'focus kept');
  clean(r);
});

test('dragging the slider: throttled events, the last value always arrives', async (t) => {
  const r = await open(t, widgetsUrl);
  const slider = r.page.getByRole('slider', { name: /Level/ });
  await r.page.evaluate(() => {
    window.__inputs = 0;
    document.getElementById('pn-main').addEventListener('input', () => window.__inputs++);
  });
  const box = await slider.boundingBox();
  const y = box.y + box.height / 2;
  await r.page.mouse.move(box.x + box.width / 2, y);
  await r.page.mouse.down();
  await r.page.mouse.move(box.x + box.width * 0.97, y, { steps: 40 });
  await r.page.mouse.move(box.x + box.width * 0.85, y, { steps: 20 });
  await r.page.mouse.up();
  const value = (await r.page.locator('.pn-slider-value').textContent()).trim();
  assert.ok(+value > 70 && +value < 100, `dragged to ${value}`);
  await eventually(async () => assert.equal((await numberText(r.page, 'Level')).trim(), `${value}%`));
  const inputs = await r.page.evaluate(() => window.__inputs);
  const sent = r.frames.filter((f) => f.startsWith('>> ') && f.includes('"id":5'));
  t.diagnostic(`${inputs} input events, ${sent.length} events sent`);
  assert.ok(sent.length < inputs, 'events are throttled');
  assert.ok(sent.at(-1).endsWith(`"value":${value}}`), 'the last event carries the final value');
  await screenshot(r.page, 'widgets');
  clean(r);
});

test('gallery: every widget reports, the app changes every widget in place', async (t) => {
  const r = await open(t, galleryUrl);
  const { page } = r;
  await screenshot(page, 'widgets-gallery');
  // the visitor's changes
  const toggle = page.locator('button.pn-toggle', { hasText: 'Toggle' });
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await page.getByLabel('Checkbox').check();
  await page.getByLabel('Select', { exact: true }).selectOption('Tokyo');
  await eventually(async () =>
    assert.equal(await page.getByLabel('Selected').inputValue(), 'Tokyo'));
  await page.getByRole('slider', { name: /Float slider/ }).fill('0.75');
  assert.equal((await page.locator('.pn-slider-value').nth(1).textContent()).trim(), '0.75');
  await eventually(async () => assert.equal((await numberText(page, 'Echo')).trim(), '75'));
  // the app's changes arrive while the visitor types in a field: focus and element survive
  const text = page.getByLabel('Text input');
  await text.click();
  await text.pressSequentially('typing');
  const before = await text.elementHandle();
  await page.locator('button', { hasText: 'Set all' }).evaluate((b) => b.click()); // no focus move
  await eventually(async () => assert.equal(await page.title(), 'Gallery (set)'));
  assert.equal((await page.locator('.pn-header-title').textContent()).trim(), 'Gallery (set)');
  assert.equal(await text.inputValue(), 'from the app');
  assert.equal(await before.evaluate((e) => e === document.activeElement && e.isConnected), true);
  assert.equal(await page.locator('button.pn-toggle', { hasText: 'Pressed' }).isDisabled(), true);
  assert.equal(await page.getByRole('slider', { name: /Int slider/ }).inputValue(), '7');
  assert.equal((await page.locator('.pn-slider-value').first().textContent()).trim(), '7');
  assert.equal(await page.getByRole('slider', { name: /Float slider/ }).inputValue(), '0.25');
  assert.equal((await page.locator('.pn-slider-value').nth(1).textContent()).trim(), '0.25');
  assert.equal(await page.getByLabel('Select', { exact: true }).inputValue(), 'Paris');
  assert.equal(await page.getByLabel('Checkbox').isChecked(), true);
  assert.equal(await page.locator('.pn-card-title', { hasText: 'Changed title' }).count(), 1);
  assert.equal(await page.locator('button', { hasText: 'Renamed' }).count(), 1);
  assert.equal((await numberText(page, 'Echo')).trim(), '99');
  assert.deepEqual(await mainProbe(page), { sameMain: true, sameFirst: true, removals: 0 });
  await page.locator('body').click({ position: { x: 5, y: 700 } }); // blur for the screenshot
  await screenshot(page, 'widgets-gallery-set');
  clean(r);
});

// A page whose socket goes through the test (routeSockets), for drops and injected messages.
const openRouted = (t, url) => openLive(browser, t, url, { route: true });

test('a dropped socket resumes the session without touching the page', async (t) => {
  const { page, seen, sock } = await openRouted(t, galleryUrl);
  // local changes that the server learns from events and does not echo
  await page.locator('button.pn-toggle', { hasText: 'Toggle' }).click();
  await page.getByLabel('Checkbox').check();
  await page.getByRole('slider', { name: /Int slider/ }).fill('9');
  await page.getByRole('slider', { name: /Float slider/ }).fill('0.3');
  await page.getByLabel('Text input').fill('kept');
  await page.getByLabel('Text input').press('Enter');
  await page.getByLabel('Select', { exact: true }).selectOption('Paris');
  await eventually(async () => assert.equal(await page.getByLabel('Selected').inputValue(), 'Paris'));
  const token = (await paneState(page)).token;
  await page.waitForTimeout(200); // the last event reaches the server
  sock.drop();
  await page.locator('.pn-reconnecting').waitFor({ state: 'attached', timeout: 5000 });
  await waitForDocs(page, 2);
  const st = await paneState(page);
  assert.equal(st.token, token, 'the same session resumed');
  assert.equal(st.hydration, 'kept', 'the resumed doc matched the page');
  assert.deepEqual(await mainProbe(page), { sameMain: true, sameFirst: true, removals: 0 });
  assert.equal(await page.locator('.pn-reconnecting').count(), 0);
  assert.equal(await page.getByLabel('Text input').inputValue(), 'kept');
  assert.equal(await page.getByRole('slider', { name: /Int slider/ }).inputValue(), '9');
  const hellos = sock.frames.filter((f) => f.startsWith('>> {"t":"hello"'));
  assert.equal(hellos.length, 2, 'two hellos');
  assert.ok(hellos[1].includes(`"token":"${token}"`), 'the second hello carries the token');
  assert.deepEqual(seen.pageErrors, []);
});

test('a server value never moves a slider under the dragging pointer', async (t) => {
  const { page, seen, sock } = await openRouted(t, widgetsUrl);
  const slider = page.getByRole('slider', { name: /Level/ });
  const shown = page.locator('.pn-slider-value');
  const id = +(await slider.getAttribute('id')).match(/^pn-(\d+)-input$/)[1];
  const box = await slider.boundingBox();
  const y = box.y + box.height / 2, at = (f) => box.x + box.width * f;
  const setTo = (v) => sock.inject({ t: 'patch', ops: [[id, { value: v }]] });
  // 1. the server's value arrives mid-drag, the visitor keeps moving: the visitor wins
  await page.mouse.move(at(0.5), y);
  await page.mouse.down();
  await page.mouse.move(at(0.6), y, { steps: 5 });
  setTo(2);
  await page.waitForTimeout(100);
  assert.notEqual(await slider.inputValue(), '2', 'not applied during the drag');
  await page.mouse.move(at(0.75), y, { steps: 5 });
  await page.mouse.up();
  await page.waitForTimeout(150);
  const mine = await slider.inputValue();
  assert.ok(+mine > 60, `the visitor's value stays (${mine})`);
  assert.equal((await shown.textContent()).trim(), mine);
  await eventually(async () => assert.equal((await numberText(page, 'Level')).trim(), `${mine}%`));
  // 2. the server's value is the last word of the drag: applied on release
  await page.mouse.move(at(0.75), y);
  await page.mouse.down();
  await page.mouse.move(at(0.4), y, { steps: 5 });
  await page.waitForTimeout(150); // the throttled send is out
  setTo(3);
  await page.waitForTimeout(100);
  assert.notEqual(await slider.inputValue(), '3', 'not applied during the drag');
  await page.mouse.up();
  await eventually(async () => {
    assert.equal(await slider.inputValue(), '3', 'applied on release');
    assert.equal((await shown.textContent()).trim(), '3');
  });
  // 3. not dragging: applied at once, focus kept
  await slider.focus();
  setTo(42);
  await eventually(async () => assert.equal(await slider.inputValue(), '42'));
  assert.equal(await slider.evaluate((e) => e === document.activeElement), true);
  assert.deepEqual(seen.pageErrors, []);
});

test('unknown messages, ops, ids and server errors do not break the client', async (t) => {
  const { page, seen, warnings, sock } = await openRouted(t, widgetsUrl);
  sock.inject('not json');
  sock.inject({ t: 'future-thing', x: 1 });
  sock.inject({ t: 'patch', ops: [['teleport', 1], { op: 'set', id: 1 }, null, 7, [999, {}], [7, null],
    [7, { wat: true }], ['title', 'Injected']] });
  sock.inject({ t: 'patch' });
  sock.inject({ t: 'error', code: 'bad-value', msg: 'out of range', id: 5 });
  sock.inject({ t: 'pong', n: 1 });
  await eventually(async () => assert.equal(await page.title(), 'Injected'));
  assert.equal((await page.locator('.pn-header-title').textContent()).trim(), 'Injected');
  await eventually(() =>
    assert.ok(warnings.some((w) => w.includes('server error bad-value: out of range (node 5)'))));
  // still live
  await page.getByRole('button', { name: 'Add one' }).click();
  await eventually(async () => assert.equal((await numberText(page, 'Clicks')).trim(), '1'));
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.consoleErrors, []);
});

test('error version (pane upgraded under an open page) reloads the page into a live one', async (t) => {
  const { page, seen, sock } = await openRouted(t, widgetsUrl);
  await page.evaluate(() => { window.beforeTheReload = true; });
  const reloaded = page.waitForEvent('load', { timeout: 10_000 });
  sock.inject({ t: 'error', code: 'version', msg: 'this server speaks protocol version 3' });
  await eventually(async () => assert.match(await page.locator('.pn-fatal').textContent(), /upgraded/));
  await reloaded;
  assert.equal(await page.evaluate(() => window.beforeTheReload), undefined, 'a new page');
  await waitForDocs(page);
  await page.getByRole('button', { name: 'Add one' }).click();
  await eventually(async () => assert.equal((await numberText(page, 'Clicks')).trim(), '1'));
  assert.deepEqual(seen.pageErrors, []);
});
