// bench/table-jump.mjs — a Table of 1,000,000 rows in headless Chromium (issue 13's bench): JUMPS
// (default 100) jumps of the scroll position to random rows, each timed in the page from setting
// scrollTop to the jumped-to rows being in the table (the right first row and its text: the
// client asked the server for them, it read them from the app's cell function and sent them
// back); p50, p99 and max. Then the server's memory for the table beyond its data: the worker's
// RSS before and after sorting the million rows (the view: 4 bytes a row). pane (PANE_BIN,
// default build/release/pane) runs on core 0; run the script on core 1.
//
//   taskset -c 1 node bench/table-jump.mjs
import { readFileSync } from 'node:fs';
import { openChromium, startPane } from './lib.mjs';

const jumps = Math.min(1000, Math.max(10, +(process.env.JUMPS || 100)));
const pane = await startPane('tests/apps/table.c');
const url = pane.url;

// the worker: taskset's child is pane's supervisor, whose child is the worker
const childrenOf = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch { return []; }
};
const worker = () => {
  const sup = childrenOf(pane.pid)[0] ?? pane.pid;
  return childrenOf(sup)[0] ?? sup;
};
const rssKiB = (pid) => +(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] || 0);

const browser = await openChromium({ width: 1100, height: 900 });
const context = browser.context;
try {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.pane && window.pane.state().docs >= 1);
  const times = [];
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < jumps; i++) {
    const frac = rand();
    const ms = await page.evaluate((f) => new Promise((res, rej) => {
      const box = document.querySelector('.pn-table-scroll');
      const body = document.querySelector('tbody');
      const t0 = performance.now();
      const max = box.scrollHeight - box.clientHeight;
      box.scrollTop = max * f; // where the browser puts it, in whole pixels: the row it means
      const want = Math.round((box.scrollTop / max) * (1000000 - 20));
      const name = `item-${String(want).padStart(7, '0')}`;
      const shown = () => body.rows[0] && body.rows[0].getAttribute('aria-rowindex') === String(want + 2) &&
        body.rows[0].cells[0].textContent === name;
      const done = () => (obs.disconnect(), clearTimeout(timer), res(performance.now() - t0));
      const obs = new MutationObserver(() => shown() && done());
      obs.observe(body, { childList: true, subtree: true, characterData: true, attributes: true });
      const timer = setTimeout(() => (obs.disconnect(), rej(new Error(`row ${want} not shown in 5 s: ${body.rows[0]?.getAttribute('aria-rowindex')} ${document.querySelector('.pn-table-count').textContent} top ${box.scrollTop} of ${box.scrollHeight - box.clientHeight}`))), 5000);
      if (shown()) done();
    }), frac);
    times.push(ms);
    await page.waitForTimeout(50);
  }
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)].toFixed(1);
  console.log(`table-jump: ${jumps} jumps in 1,000,000 rows: scroll -> rows shown p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${times.at(-1).toFixed(1)} ms`);
  const w = worker();
  const before = rssKiB(w);
  await page.locator('th').nth(1).getByRole('button').click();
  await page.waitForFunction(() => document.querySelector('tbody tr td:nth-child(2)').textContent === '0' &&
    document.querySelectorAll('tbody tr')[1].cells[0].textContent === 'item-0001000', null, { timeout: 20000 });
  const after = rssKiB(w);
  console.log(`table-jump: the worker's RSS ${before} KiB, ${after} KiB after sorting 1,000,000 rows: +${after - before} KiB (${((after - before) * 1024 / 1e6).toFixed(2)} bytes a row)`);
} finally {
  await browser.close();
  pane.stop();
}
