// bench/plot-fps.mjs — a Plot in headless Chromium under load (issue 11's bench 1): 3 series with
// a 100,000-point window, 100 points appended ten times a second (bench/apps/fps.c), for
// DURATION seconds (default 120). Measured in the page and over CDP:
//   main-thread busy    Performance.getMetrics TaskDuration over wall time, the first half
//   frames per second   requestAnimationFrame callbacks per second, the second half
//   JS heap             JSHeapUsedSize after a forced GC, at the start and the end
//   points              what the plot holds and has received (window.panePlots())
// pane (PANE_BIN, default build/release/pane) runs on core 0; run the script on core 1 (Chromium
// inherits it). Both are stopped by PID.
//
//   taskset -c 1 node bench/plot-fps.mjs
//   DURATION=20 taskset -c 1 node bench/plot-fps.mjs
import { openChromium, startPane } from './lib.mjs';

const seconds = Math.min(600, Math.max(5, +(process.env.DURATION || 120)));
const pane = await startPane('bench/apps/fps.c');
const url = pane.url;
const browser = await openChromium();
const context = browser.context;
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
await page.goto(url);
await page.waitForFunction(() => window.panePlots && window.panePlots()[0]?.len >= 100000, null,
  { timeout: 60000 });
await page.waitForTimeout(2000);
const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics
  .map((m) => [m.name, m.value]));
const heap = async () => { await cdp.send('HeapProfiler.collectGarbage'); return (await metrics()).JSHeapUsedSize; };
const heap0 = await heap();
// first the main thread's busy share with nothing but the plot running (a requestAnimationFrame
// loop would make every frame a task of its own), then the frame rate over the rest
const busyFor = Math.max(5, Math.round(seconds / 2));
const m0 = await metrics(), t0 = Date.now(), p0 = await page.evaluate(() => window.panePlots()[0]);
await page.waitForTimeout(busyFor * 1000);
const m1 = await metrics(), t1 = Date.now();
const frames = await page.evaluate((ms) => new Promise((res) => {
  let n = 0;
  const end = performance.now() + ms;
  const f = (t) => (t < end ? (n++, requestAnimationFrame(f)) : res(n));
  requestAnimationFrame(f);
}), (seconds - busyFor) * 1000);
const t2 = Date.now(), p1 = await page.evaluate(() => window.panePlots()[0]);
const heap1 = await heap();
const wall = (t1 - t0) / 1000;
const r = {
  seconds: +((t2 - t0) / 1000).toFixed(1),
  fps: +(frames / ((t2 - t1) / 1000)).toFixed(1),
  main_thread_busy_pct: +(100 * (m1.TaskDuration - m0.TaskDuration) / wall).toFixed(1),
  script_pct: +(100 * (m1.ScriptDuration - m0.ScriptDuration) / wall).toFixed(1),
  heap_start_mb: +(heap0 / 1048576).toFixed(2),
  heap_end_mb: +(heap1 / 1048576).toFixed(2),
  window_points: p1.len,
  points_received: p1.seen - p0.seen,
  appends_per_s: +((p1.seen - p0.seen) / 100 / ((t2 - t0) / 1000)).toFixed(1),
};
console.log(JSON.stringify(r));
await browser.close();
pane.stop();
