// Shared values in real tabs (tests/apps/values.c, two loops): a number feed and a text feed
// published by a thread of the app reach two tabs, which show the same values in the same
// order; a click in one tab reaches the app's thread; a tab opened later starts from the
// current value; nothing is logged as an error. Screenshot: tests/browser/screenshots/feeds.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openBrowser, screenshot, startPane, watchPage } from './lib.mjs';
import { waitForDocs } from './live-lib.mjs';

let pane, browser;

before(async () => {
  pane = await startPane({ app: 'tests/apps/values.c', args: ['--num-threads', '2'] });
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

// Records every text the first Number, the second Number and the Markdown show, in order.
async function openTab() {
  const page = await browser.newPage();
  const seen = watchPage(page);
  await page.goto(pane.url);
  await waitForDocs(page);
  await page.evaluate(() => {
    const rec = (window.__rec = { count: [], level: [], colors: [], note: [] });
    const values = document.querySelectorAll('.pn-number .pn-number-value');
    const md = document.querySelector('.pn-markdown');
    new MutationObserver(() => rec.count.push(values[0].textContent)).observe(values[0], {
      childList: true, characterData: true, subtree: true,
    });
    new MutationObserver(() => {
      rec.level.push(values[1].textContent);
      rec.colors.push(getComputedStyle(values[1]).color);
    }).observe(values[1], { childList: true, characterData: true, subtree: true, attributes: true });
    new MutationObserver(() => rec.note.push(md.innerHTML)).observe(md, {
      childList: true, characterData: true, subtree: true,
    });
  });
  return { page, seen };
}

const rec = (page) => page.evaluate(() => window.__rec);
const shown = (page) => page.locator('.pn-number .pn-number-value').first().textContent();

test('two tabs show the same feed values in the same order, and a late tab starts from the last', async () => {
  const a = await openTab();
  const b = await openTab();
  assert.equal(await shown(a.page), '0', 'before any publish: the feed starts at 0');
  assert.equal((await a.page.locator('.pn-markdown').innerHTML()).trim(), '<p><em>waiting</em></p>');
  await b.page.getByRole('button', { name: 'Start' }).click(); // reaches the app's thread
  await eventually(async () => {
    assert.equal(await shown(a.page), '300');
    assert.equal(await shown(b.page), '300');
  }, 15_000);
  const ra = await rec(a.page), rb = await rec(b.page);
  for (const [name, r] of [['a', ra], ['b', rb]]) {
    const nums = r.count.map(Number);
    assert.ok(nums.length >= 30, `tab ${name} saw the values go by (${nums.length} updates)`);
    for (let i = 1; i < nums.length; i++)
      assert.ok(nums[i] > nums[i - 1], `tab ${name}: ${nums[i]} after ${nums[i - 1]}`);
    assert.equal(nums.at(-1), 300);
    assert.equal(r.level.at(-1), '300 %');
    assert.equal(r.colors.at(-1), 'rgb(229, 57, 53)', 'past 150 the Level is red');
    assert.ok(r.colors.includes('rgb(30, 136, 229)'), 'below 150 it was blue');
    assert.equal(r.note.at(-1).trim(), '<p><strong>step 300</strong></p>');
  }
  // the same values in the same order: where both tabs saw a value, they saw the others between
  // them in the same order (a tab may miss a value another saw only when its loop coalesced)
  const common = ra.count.filter((v) => rb.count.includes(v));
  assert.deepEqual(common, rb.count.filter((v) => ra.count.includes(v)));
  assert.ok(common.length >= ra.count.length * 0.5, `the tabs saw mostly the same values (${common.length} of ${ra.count.length})`);
  assert.deepEqual(ra.note, rb.note, 'the text feed: the same four steps in both');
  // a tab opened now shows the current values at once
  const c = await openTab();
  assert.equal(await shown(c.page), '300');
  assert.equal((await c.page.locator('.pn-markdown').innerHTML()).trim(), '<p><strong>step 300</strong></p>');
  await screenshot(a.page, 'feeds');
  for (const t of [a, b, c]) {
    assert.deepEqual(t.seen.pageErrors, []);
    assert.deepEqual(t.seen.consoleErrors, []);
    await t.page.close();
  }
});
