// bench/lib.mjs — what the browser benches share (bench/plot-fps.mjs, bench/table-jump.mjs):
//   startPane(app, args)  `pane serve ARGS APP` (PANE_BIN, default build/release/pane) on core 0 with a
//                     cache of its own; resolves {url, pid, stop()} once it prints its URL;
//                     stopped by PID at exit too
//   openChromium(viewport)   Debian's Chromium, headless, with the test flags and a fresh
//                     user-data-dir; resolves {context, close()}
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function startPane(app, args = []) {
  const bin = resolve(process.env.PANE_BIN || join(root, 'build/release/pane'));
  const cache = mkdtempSync(join(tmpdir(), 'pane-bench-'));
  const pane = spawn('taskset', ['-c', '0', bin, 'serve', '--port', '0', '--address', '127.0.0.1',
    '--log-level', 'warning', ...args, resolve(root, app)],
    { env: { ...process.env, XDG_CACHE_HOME: cache }, stdio: ['ignore', 'pipe', 'inherit'] });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try { process.kill(pane.pid, 'SIGTERM'); } catch {}
    rmSync(cache, { recursive: true, force: true });
  };
  process.on('exit', stop);
  const url = await new Promise((res, rej) => {
    let out = '';
    const t = setTimeout(() => rej(new Error('pane printed no URL in 60 s')), 60000);
    pane.stdout.on('data', (d) => {
      out += d;
      const m = /pane: serving (http:\S+)/.exec(out);
      if (m) { clearTimeout(t); res(m[1]); }
    });
  });
  pane.stdout.resume();
  return { url, pid: pane.pid, stop };
}

export async function openChromium(viewport = { width: 1280, height: 720 }) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'pane-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium', headless: true, viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
