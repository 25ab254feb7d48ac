// bench/warm.mjs — --reuse-sessions warm (issue 15's bench): an app whose pn_app takes 100 ms
// (bench/apps/slow.c), its page served from the reuse cache (--warm fills it), opened LOADS
// times (default 20) in headless Chromium, each in a new tab; timed in the page from its socket
// opening (the hello is sent then) to the doc arriving. Run with `--reuse-sessions` (the socket's
// hello makes the session: pn_app runs then) and `--reuse-sessions warm` (the session was made
// while the page loaded); p50 and p95 of each. pane (PANE_BIN, default build/release/pane) on
// core 0; run the script on core 1:
//
//   taskset -c 1 node bench/warm.mjs
import { openChromium, startPane } from './lib.mjs';

const loads = Math.min(200, Math.max(5, +(process.env.LOADS || 20)));
const pct = (a, p) => a.slice().sort((x, y) => x - y)[Math.min(a.length - 1, Math.ceil((p / 100) * a.length) - 1)];
const results = {};
for (const [name, args] of [['--reuse-sessions', ['--reuse-sessions', '--warm']],
  ['--reuse-sessions warm', ['--reuse-sessions', 'warm', '--warm']]]) {
  const pane = await startPane('bench/apps/slow.c', args);
  const browser = await openChromium({ width: 900, height: 600 });
  const times = [];
  try {
    await browser.context.addInitScript(() => {
      const W = window.WebSocket;
      window.WebSocket = class extends W {
        constructor(...a) {
          super(...a);
          this.addEventListener('open', () => (window.__open ??= performance.now()));
          this.addEventListener('message', (e) => {
            if (typeof e.data === 'string' && e.data.includes('"t":"doc"')) window.__doc ??= performance.now();
          });
        }
      };
    });
    for (let i = 0; i <= loads; i++) {
      const page = await browser.context.newPage();
      await page.goto(pane.url);
      await page.waitForFunction(() => window.__doc > 0, null, { timeout: 10000 });
      const t = await page.evaluate(() => window.__doc - window.__open);
      if (i > 0) times.push(t); // the first loads the static files into the cache
      await page.close();
    }
  } finally {
    await browser.close();
    pane.stop();
  }
  results[name] = times;
  console.log(`bench: ${name}: hello -> doc p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms (${times.length} loads)`);
}
console.log(`bench: pn_app takes 100 ms; warm / not warm at p50: ${(pct(results['--reuse-sessions warm'], 50) / pct(results['--reuse-sessions'], 50)).toFixed(2)}`);
