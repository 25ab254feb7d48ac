// Helpers for the browser tests (node:test + playwright-core + Debian's /usr/bin/chromium).
//
//   startPane({app, args})  starts `PANE_BIN serve --port 0 --address 127.0.0.1 APP`, waits for
//                           its "pane: serving http(s)://…" line and returns {url, urls, stop()}.
//                           stop() sends SIGTERM to that PID and resolves to the exit code
//                           (or "signal NAME"); it SIGKILLs after 10 s.
//   openBrowser(options)    launches Chromium with a fresh --user-data-dir (a temp dir, removed
//                           by close()) and returns {context, newPage(), close()}. options go to
//                           launchPersistentContext (e.g. {javaScriptEnabled: false}).
//   watchPage(page)         records dialogs, page errors, console errors and failed or >= 400
//                           responses; dialogs are dismissed.
//   screenshot(page, name)  saves tests/browser/screenshots/NAME.png (gitignored) for review.
//
// Environment: PANE_BIN (default build/dev/pane), PANE_SOURCE_DIR (default: the repository
// this file is in), XDG_CACHE_HOME (default: a temp dir, so the compiled app stays out of ~).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const sourceDir = resolve(process.env.PANE_SOURCE_DIR || join(here, '..', '..'));
export const paneBin = resolve(process.env.PANE_BIN || join(sourceDir, 'build', 'dev', 'pane'));
export const screenshotDir = join(here, 'screenshots');

const START_TIMEOUT_MS = 60_000; // the first start compiles the app
const STOP_TIMEOUT_MS = 10_000;

let ownCache = null;
function cacheHome() {
  if (process.env.XDG_CACHE_HOME) return process.env.XDG_CACHE_HOME;
  ownCache ??= mkdtempSync(join(tmpdir(), 'pane-browser-cache-'));
  return ownCache;
}
process.on('exit', () => {
  if (ownCache) rmSync(ownCache, { recursive: true, force: true });
});

export async function startPane({ app = 'examples/weather.c', args = [] } = {}) {
  const apps = (Array.isArray(app) ? app : [app]).map((a) => resolve(sourceDir, a));
  const argv = ['serve', '--port', '0', '--address', '127.0.0.1', ...args, ...apps];
  const child = spawn(paneBin, argv, {
    cwd: sourceDir,
    env: { ...process.env, XDG_CACHE_HOME: cacheHome() },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((res) => {
    child.on('exit', (code, signal) => res(signal ? `signal ${signal}` : code));
  });
  // never leave a server behind, even when a test throws before stop()
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  exited.then(() => process.off('exit', killOnExit));
  const urls = [];
  let out = '';
  await new Promise((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`pane printed no URL within ${START_TIMEOUT_MS} ms; stdout: ${out}`));
    }, START_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      for (const m of out.matchAll(/pane: serving (https?:\/\/\S+)/g))
        if (!urls.includes(m[1])) urls.push(m[1]);
      if (urls.length >= apps.length) {
        clearTimeout(timer);
        res();
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      rej(e);
    });
    exited.then((how) => {
      clearTimeout(timer);
      rej(new Error(`pane exited (${how}) before printing its URL; stdout: ${out}`));
    });
  });
  child.stdout.resume(); // keep draining so the server never blocks on a full pipe
  let stopping = null;
  return {
    url: urls[0],
    urls,
    pid: child.pid,
    exited,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return exited;
        process.kill(child.pid, 'SIGTERM');
        const timer = setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null)
            process.kill(child.pid, 'SIGKILL');
        }, STOP_TIMEOUT_MS);
        const how = await exited;
        clearTimeout(timer);
        return how;
      })();
      return stopping;
    },
  };
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function openBrowser(options = {}) {
  // playwright refuses --user-data-dir in args: a persistent context is how it takes one
  const userDataDir = mkdtempSync(join(tmpdir(), 'pane-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: chromiumArgs,
      viewport: { width: 1280, height: 800 },
      timeout: 60_000,
      ...options,
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    context,
    async newPage() {
      return context.newPage();
    },
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

export function watchPage(page) {
  const seen = { dialogs: [], pageErrors: [], consoleErrors: [], badResponses: [] };
  page.on('dialog', async (d) => {
    seen.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => seen.pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.consoleErrors.push(m.text());
  });
  page.on('requestfailed', (r) => seen.badResponses.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) seen.badResponses.push(`${r.url()}: ${r.status()}`);
  });
  return seen;
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  // from the top: a full-page capture of a scrolled page draws the sticky header mid-page
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}

// Polls fn until it returns without throwing, or rethrows its last error after timeoutMs.
export async function eventually(fn, timeoutMs = 5000, stepMs = 100) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, stepMs));
    }
  }
}
