// A worker that crashes, as its visitors see it (`pane serve --num-procs 2`, tests/apps/crash.c):
// two tabs, whose live sessions are on different workers; the Crash button in one takes its
// worker down. That tab shows "Reconnecting…" and is live again (a fresh session on a live
// worker: its Ticks count again) within 2 s; the other tab's Ticks never stop. Then the admin
// page (--admin, PREFIX/admin) shows both workers, the restart and the sessions, live.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openBrowser, screenshot, startPane, watchPage } from './lib.mjs';
import { paneState, waitForDocs } from './live-lib.mjs';

let pane, browser;

before(async () => {
  // ASan (when the binary has it) must not catch the SIGSEGV: the supervisor should see it
  process.env.ASAN_OPTIONS = 'handle_segv=0:detect_leaks=0';
  pane = await startPane({ app: 'tests/apps/crash.c', args: ['--num-procs', '2', '--admin'] });
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

const pidOf = async (page) => Number((await page.locator('.pn-markdown').first().textContent()).match(/pid (\d+)/)[1]);
const ticks = async (page) => Number((await page.locator('.pn-number').first().textContent()).replace(/[^0-9]/g, '')) || 0;

test('a crashed worker: its tab reconnects to a fresh session, the other tab goes on', async (t) => {
  // the live session is made by the socket's worker, whose pid its doc shows
  const pages = [];
  t.after(() => Promise.all(pages.map((p) => p.close())));
  let a, b;
  for (let i = 0; i < 30 && !(a && b); i++) {
    const page = await browser.newPage();
    pages.push(page);
    await page.goto(pane.url, { waitUntil: 'load' });
    await waitForDocs(page);
    await eventually(async () => (await ticks(page)) > 0);
    const pid = await pidOf(page);
    if (!a) a = { page, pid };
    else if (pid !== a.pid) b = { page, pid };
  }
  assert.ok(a && b, 'two tabs on two workers');

  const before = await ticks(b.page);
  // timed in the page: from the click to the notice going away (the fresh session's doc)
  await a.page.evaluate(() => {
    const t = (window.__t = {});
    document.addEventListener('click', () => (t.click ??= performance.now()), true);
    new MutationObserver(() => {
      if (document.querySelector('.pn-reconnecting')) t.shown ??= performance.now();
      else if (t.shown) t.gone ??= performance.now();
    }).observe(document.body, { childList: true });
  });
  await a.page.getByRole('button', { name: 'Crash' }).click();
  await a.page.locator('.pn-reconnecting', { hasText: 'Reconnecting…' }).waitFor({ timeout: 2000 });
  await screenshot(a.page, 'workers-reconnecting');
  await a.page.waitForFunction(
    (old) => window.pane.state().connected &&
      !new RegExp(`pid ${old}\\b`).test(document.querySelector('.pn-markdown').textContent),
    a.pid, { timeout: 5000 });
  const times = await a.page.evaluate(() => window.__t);
  const back = Math.round(times.gone - times.click);
  assert.ok(back <= 2000, `live again ${back} ms after the click`);
  await eventually(async () => (await ticks(a.page)) > 0, 2000);
  assert.notEqual(await pidOf(a.page), a.pid, 'a session on another (or a new) worker');
  assert.equal(await a.page.locator('.pn-reconnecting').count(), 0, 'the notice is gone');
  await screenshot(a.page, 'workers-back');

  const st = await paneState(b.page);
  assert.equal(st.connected, true, 'the other tab stayed connected');
  assert.equal(st.docs, 1, 'and never needed another doc');
  await eventually(async () => (await ticks(b.page)) >= before + 10, 3000);
});

test('the admin page: every worker, the restart, sessions as they come', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const seen = watchPage(page);
  t.after(() => page.close());
  const admin = pane.url.replace(/\/crash$/, '/admin');
  await page.goto(admin);
  await waitForDocs(page);
  const number = (name) => page.locator('.pn-number', { hasText: name }).locator('.pn-number-value');
  const value = async (name) => Number((await number(name).textContent()).replace(/[^0-9.]/g, ''));
  await eventually(async () => assert.equal(await value('Workers'), 2));
  const workers = page.locator('.pn-card', { hasText: 'Workers' }).locator('tbody tr');
  await eventually(async () => assert.equal(await workers.count(), 2));
  const note = page.locator('.pn-markdown').last();
  await eventually(async () => assert.match(await note.textContent(), /1 restart after a crash/));
  // a visitor comes: the Sessions figure follows within its refresh
  const sessions = await value('Sessions');
  const visitor = await browser.newPage();
  await visitor.goto(pane.url);
  await waitForDocs(visitor);
  await eventually(async () => assert.ok((await value('Sessions')) >= sessions + 1), 4000);
  await visitor.close();
  // the responses so far, by status: the pages' 200s and sockets' 101s at least
  const statuses = await page.locator('.pn-card', { hasText: 'Responses' }).locator('tbody td:first-child').allTextContents();
  assert.ok(statuses.includes('200') && statuses.includes('101'), statuses.join(' '));
  await page.waitForTimeout(2500); /* a few points in the plots */
  await screenshot(page, 'admin');
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.consoleErrors, []);
});
