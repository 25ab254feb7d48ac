// bench/dev.mjs — `pane serve --dev` (issue 15's bench): from saving an app to its new text on
// screen in headless Chromium, SAVES times (default 20), each timed from just before the file
// is written to the page showing the saved text (a MutationObserver in the page; the same
// clock): the compile, the new worker, the page's socket going to it, its doc and the DOM
// update. p50, p95 and max. The reference in the same run: the compile alone (the same cc
// command pane runs, timed by this script), and the page's own time from its socket closing
// to the new text. pane (PANE_BIN, default build/release/pane) on core 0; run the script on
// core 1:
//
//   taskset -c 1 node bench/dev.mjs
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openChromium, root, startPane } from './lib.mjs';

const saves = Math.min(200, Math.max(5, +(process.env.SAVES || 20)));
const dir = mkdtempSync(join(tmpdir(), 'pane-dev-bench-'));
const file = join(dir, 'weather.c');
cpSync(join(root, 'examples/weather.c'), file);
const original = readFileSync(file, 'utf8');
// the text every save changes: the header's title, "%s Weather" in weather.c's template
if (!original.includes('"%s Weather"')) throw new Error('weather.c has no "%s Weather" title');
const version = (i) => original.replace('"%s Weather"', `"%s Weather ${i}"`);

const pane = await startPane(file, ['--dev']);
const browser = await openChromium({ width: 1000, height: 700 });
const q = (a) => a.slice().sort((x, y) => x - y);
const pct = (a, p) => q(a)[Math.min(a.length - 1, Math.ceil((p / 100) * a.length) - 1)];
try {
  const page = await browser.context.newPage();
  await page.goto(pane.url);
  await page.waitForFunction(() => window.pane && window.pane.state().docs >= 1);
  const total = [], fromClose = [], compile = [];
  for (let i = 1; i <= saves; i++) {
    const want = `Weather ${i}`;
    await page.evaluate((w) => {
      window.__shown = 0;
      window.__closed = 0;
      const ws = window.WebSocket.prototype;
      if (!window.__hooked) { // the moment the page's socket to the old worker closes
        window.__hooked = true;
        const add = ws.addEventListener;
        const desc = Object.getOwnPropertyDescriptor(ws, 'onclose');
        Object.defineProperty(ws, 'onclose', {
          set(f) { desc.set.call(this, (e) => { window.__closed ||= Date.now(); return f(e); }); },
          get() { return desc.get.call(this); },
        });
        void add;
      }
      new MutationObserver((_, obs) => {
        if (document.querySelector('.pn-header-title')?.textContent.includes(w)) {
          window.__shown = Date.now();
          obs.disconnect();
        }
      }).observe(document, { subtree: true, childList: true, characterData: true });
    }, want);
    const tmp = `${file}.tmp`;
    const t0 = Date.now();
    writeFileSync(tmp, version(i));
    renameSync(tmp, file);
    await page.waitForFunction(() => window.__shown > 0, null, { timeout: 20000 });
    const r = await page.evaluate(() => [window.__shown, window.__closed]);
    total.push(r[0] - t0);
    if (r[1]) fromClose.push(r[0] - r[1]);
    await page.waitForTimeout(300); // the old worker gone before the next save
  }
  // the reference: the compile alone, as pane runs it (cc, its flags, pane.h from its cache)
  const inc = join(dir, 'inc');
  cpSync(join(root, 'include'), inc, { recursive: true });
  for (let i = 0; i < Math.min(saves, 10); i++) {
    const t0 = Date.now();
    execFileSync('taskset', ['-c', '0', 'cc', '-std=gnu17', '-O2', '-g', '-fPIC', '-shared', '-Wall',
      `-I${inc}`, '-o', join(dir, 'ref.so'), file, '-lm']);
    compile.push(Date.now() - t0);
  }
  if (process.env.VERBOSE) console.log(total.join(' '), '|', fromClose.join(' '));
  const line = (name, a) => `${name} p50 ${pct(a, 50)} ms, p95 ${pct(a, 95)} ms, max ${Math.max(...a)} ms`;
  console.log(`bench: --dev, ${saves} saves of weather.c: save -> new text on screen ${line('', total)}`);
  console.log(`bench:   the page's part (old socket closed -> new text): ${line('', fromClose)}`);
  console.log(`bench:   reference, the compile alone (cc -O2 as pane runs it): ${line('', compile)}`);
} finally {
  await browser.close();
  pane.stop();
  rmSync(dir, { recursive: true, force: true });
}
