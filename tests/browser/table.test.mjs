// A Table of a million rows in a real browser (tests/apps/table.c): the first page is in the page
// and a header click sorts it on the server; scrolling anywhere shows the right rows; a click
// selects a row and reaches the app's callback, the arrow keys move the selection; the filter
// narrows the rows; no console error. Screenshot: tests/browser/screenshots/table.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openBrowser, screenshot, startPane, watchPage } from './lib.mjs';
import { waitForDocs } from './live-lib.mjs';

let pane, browser;

before(async () => {
  pane = await startPane({ app: 'tests/apps/table.c' });
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

const name = (i) => `item-${String(i).padStart(7, '0')}`;
const value = (i) => String((i * 7919) % 1000);
const cells = (page, r) => page.locator('tbody tr').nth(r).locator('td').allTextContents();
const count = (page) => page.locator('.pn-table-count').textContent();

test('a million rows: sort, scroll anywhere, select, keys, filter', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const seen = watchPage(page);
  await page.goto(pane.url);
  assert.deepEqual(await cells(page, 0), [name(0), value(0), 'alpha'], 'the first page is in the page');
  assert.equal(await page.locator('tbody tr').count(), 20);
  await waitForDocs(page);
  assert.equal(await count(page), '1–20 of 1,000,000');
  assert.equal(await page.locator('table').getAttribute('aria-rowcount'), '1000001');

  // sort by Value: ascending, stable (the app's order among equal values), then descending
  const head = page.locator('th').nth(1);
  await head.getByRole('button').click();
  await eventually(async () => assert.deepEqual(await cells(page, 1), [name(1000), '0', 'alpha'],
    'ties keep the app order'));
  assert.deepEqual(await cells(page, 0), [name(0), '0', 'alpha']);
  assert.equal(await head.getAttribute('aria-sort'), 'ascending');
  await head.getByRole('button').click();
  await eventually(async () => assert.equal((await cells(page, 0))[1], '999'));
  assert.equal(await head.getAttribute('aria-sort'), 'descending');
  await head.getByRole('button').click(); // back to the app's order
  await eventually(async () => assert.deepEqual(await cells(page, 1), [name(1), value(1), 'bravo']));
  assert.equal(await head.getAttribute('aria-sort'), 'none');

  // scroll to three places: the rows shown are the rows there
  const box = page.locator('.pn-table-scroll');
  for (const frac of [0.5, 0.123, 1]) {
    const want = await box.evaluate((e, f) => {
      const max = e.scrollHeight - e.clientHeight;
      e.scrollTop = max * f; // in whole pixels: the row it means
      return Math.round((e.scrollTop / max) * (1000000 - 20));
    }, frac);
    await eventually(async () => {
      assert.equal(await page.locator('tbody tr').first().getAttribute('aria-rowindex'), String(want + 2));
      assert.deepEqual(await cells(page, 0), [name(want), value(want), ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'][want % 8]]);
    });
    assert.equal(await count(page), `${(want + 1).toLocaleString('en-US')}–${(want + 20).toLocaleString('en-US')} of 1,000,000`);
  }

  // select with a click: the app's callback answers; the arrow key moves the selection
  await box.evaluate((e) => (e.scrollTop = 0));
  await eventually(async () => assert.equal((await cells(page, 0))[0], name(0)));
  await page.locator('tbody tr').nth(3).click();
  await eventually(async () => assert.equal((await page.locator('.pn-markdown').textContent()).trim(), `Selected ${name(3)}`));
  assert.equal(await page.locator('tbody tr').nth(3).getAttribute('aria-selected'), 'true');
  await box.focus();
  await page.keyboard.press('ArrowDown');
  await eventually(async () => assert.equal((await page.locator('.pn-markdown').textContent()).trim(), `Selected ${name(4)}`));

  // filter on the server: 1 in 8 rows say "golf"
  await page.locator('.pn-table-filter').fill('GOLF');
  await eventually(async () => assert.equal(await count(page), '1–20 of 125,000 (filtered from 1,000,000)'));
  assert.deepEqual(await cells(page, 0), [name(6), value(6), 'golf']);
  await screenshot(page, 'table');
  await page.locator('.pn-table-filter').fill('no such thing');
  await eventually(async () => assert.equal(await count(page), 'No rows match (of 1,000,000)'));
  assert.equal(await page.locator('tbody tr').count(), 0);
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.consoleErrors, []);
  await page.close();
});

test('examples/processes.c: the machine\'s processes by memory, a row\'s details on a click', async () => {
  const procs = await startPane({ app: 'examples/processes.c' });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const seen = watchPage(page);
    await page.goto(procs.url);
    await waitForDocs(page);
    const n = +/of ([\d,]+)/.exec(await count(page))[1].replace(/,/g, '');
    assert.ok(n >= 5, `the processes of this machine (${n})`);
    assert.equal(await page.locator('th').nth(2).getAttribute('aria-sort'), 'descending');
    const mb = (await page.locator('tbody tr td:nth-child(3)').allTextContents()).map((t) => parseFloat(t));
    assert.ok(mb.every((v, i) => i === 0 || v <= mb[i - 1]), `by memory, largest first (${mb.slice(0, 4)})`);
    const pid = (await cells(page, 1))[0];
    await page.locator('tbody tr').nth(1).click();
    await eventually(async () => assert.match(await page.locator('.pn-card .pn-markdown').textContent(),
      new RegExp(`\\(PID ${pid}\\) uses [\\d.]+ MB with \\d+ threads`)));
    await screenshot(page, 'processes');
    await page.locator('.pn-table-filter').fill('pane');
    await eventually(async () => assert.match(await count(page), /filtered from/));
    assert.deepEqual(seen.pageErrors, []);
    assert.deepEqual(seen.consoleErrors, []);
    await page.close();
  } finally {
    await procs.stop();
  }
});
