// Helpers for the live-session browser tests (widgets, widgets2, live, reuse and others), on top of
// lib.mjs:
//
//   portOf(url)             the port of a pane URL, to start a second server on the same one
//   recordFrames(page)      every WebSocket frame the page sends (>>) and gets (<<), as text;
//                           printed by dumpFrames when a test fails
//   probeMain(page)         an init script that remembers #pn-main and its first child before
//                           pane.js runs and counts removals of #pn-main's children, so a test
//                           can tell "hydrated in place" from "replaced" (a flash)
//   mainProbe(page)         {sameMain, sameFirst, removals} of that probe
//   paneState(page)         window.pane.state() ({connected, token, docs, hydration})
//   waitForDocs(page, n)    waits until the page has received n docs over its socket
//   routeSockets(page)      puts the test between the page and the server (routeWebSocket):
//                           {frames, fromServer, inject(msg), send(msg), drop()}: fromServer
//                           has every text message from the server, whole; inject sends msg to
//                           the page as if from the server, send sends it to the server as if
//                           from the page; drop() closes the current socket on both sides
//   openLive(browser, t, url, {route})   a new page at url with its socket up: watched
//                           (watchPage), pane's console warnings kept, #pn-main probed, its
//                           frames recorded (route: its socket through routeSockets, as sock),
//                           closed after the test t (the frames printed if t failed);
//                           {page, seen, warnings, frames, sock}
//   assertClean(r, errors)  openLive's page had no script or console error, no failed response
//                           and no pane warning but the `errors` server errors the test caused
import assert from 'node:assert/strict';
import { watchPage } from './lib.mjs';

export function portOf(url) {
  return new URL(url).port;
}

export function recordFrames(page) {
  const frames = [];
  page.on('websocket', (ws) => {
    frames.push(`-- open ${ws.url()}`);
    ws.on('framesent', (f) => frames.push(`>> ${String(f.payload).slice(0, 400)}`));
    ws.on('framereceived', (f) => frames.push(`<< ${String(f.payload).slice(0, 400)}`));
    ws.on('socketerror', (e) => frames.push(`-- error ${e}`));
    ws.on('close', () => frames.push('-- close'));
  });
  return frames;
}

export function dumpFrames(t, frames) {
  t.diagnostic('socket frames:');
  for (const f of frames) t.diagnostic(f);
}

export async function probeMain(page) {
  await page.addInitScript(() => {
    const probe = { main: null, first: null, removals: 0 };
    Object.defineProperty(window, '__pnProbe', { value: probe });
    document.addEventListener('readystatechange', () => {
      if (document.readyState !== 'interactive') return; // before deferred scripts run
      probe.main = document.getElementById('pn-main');
      probe.first = probe.main && probe.main.firstElementChild;
      if (!probe.main) return;
      new MutationObserver((recs) => {
        for (const r of recs) probe.removals += r.removedNodes.length;
      }).observe(probe.main, { childList: true });
    });
  });
}

export function mainProbe(page) {
  return page.evaluate(() => {
    const p = window.__pnProbe, main = document.getElementById('pn-main');
    return {
      sameMain: !!p.main && p.main === main,
      sameFirst: !!p.first && p.first === main.firstElementChild,
      removals: p.removals,
    };
  });
}

export function paneState(page) {
  return page.evaluate(() => (window.pane ? window.pane.state() : null));
}

export async function waitForDocs(page, n = 1, timeout = 10_000) {
  await page.waitForFunction((k) => window.pane && window.pane.state().docs >= k, n, { timeout });
}

export async function routeSockets(page) {
  const frames = [], fromServer = [], routes = [];
  await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
    const server = ws.connectToServer();
    routes.push({ ws, server });
    frames.push('-- open');
    ws.onMessage((m) => (frames.push(`>> ${m}`), server.send(m)));
    server.onMessage((m) => {
      frames.push(`<< ${String(m).slice(0, 400)}`);
      if (typeof m === 'string') fromServer.push(m);
      ws.send(m);
    });
  });
  return {
    frames,
    fromServer,
    send(msg) {
      const text = JSON.stringify(msg);
      frames.push(`>> (sent by the test) ${text}`);
      routes.at(-1).server.send(text);
    },
    inject(msg) {
      if (Buffer.isBuffer(msg)) { // a binary (data) message
        frames.push(`<< (injected) ${msg.length} bytes of binary`);
        return routes.at(-1).ws.send(msg);
      }
      const text = typeof msg === 'string' ? msg : JSON.stringify(msg);
      frames.push(`<< (injected) ${text}`);
      routes.at(-1).ws.send(text);
    },
    drop() {
      const { ws, server } = routes.at(-1);
      frames.push('-- dropped by the test');
      server.close();
      ws.close({ reason: 'dropped by the test' });
    },
  };
}

export async function openLive(browser, t, url, { route = false } = {}) {
  const page = await browser.newPage();
  const seen = watchPage(page);
  const warnings = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  const sock = route ? await routeSockets(page) : undefined;
  const frames = sock ? sock.frames : recordFrames(page);
  await probeMain(page);
  t.after(async () => {
    if (t.passed === false) dumpFrames(t, frames);
    await page.close();
  });
  await page.goto(url, { waitUntil: 'load' });
  await waitForDocs(page);
  return { page, seen, warnings, frames, sock };
}

export function assertClean(r, errors = 0) {
  assert.deepEqual(r.seen.pageErrors, [], 'uncaught script errors');
  assert.deepEqual(r.seen.consoleErrors, [], 'console errors');
  assert.deepEqual(r.seen.badResponses, [], 'failed responses');
  const warned = r.warnings.filter((w) => w.startsWith('pane:'));
  const caused = /^pane: server error bad-(value|prop|message)/;
  assert.deepEqual(warned.filter((w) => !caused.test(w)), [], 'pane warnings');
  assert.equal(warned.length, errors, 'server errors');
}
