/* pane.js: the live-session client (docs/internals/protocol.md). The server is the authority:
   this renders its doc and patches and reports what the visitor does. No eval, no inline
   handlers or styles (strict-CSP safe). window.pane.state() is for tests.

   This is the core: the socket, the doc, the patch ops and the page's events. What a kind does
   in the browser is its module in web/client/kinds/ (one per kind, registered with
   pane.kind(NAME, module)); the build appends them to this file. A module may have:
     patch(el, id, changes, ctx)   apply a node's changes from a patch ({key: value}, as its
                                   C file encodes them)
     click/input/change/keydown/pointerdown(el, e, ctx)   the visitor, delegated from the page
                                   (#pn-main and the sidebar, #pn-sidebar)
     reset(ctx)                    the page was replaced by a new doc
     mount(el, id, ctx)            after each doc, and when an insert op brings the element:
                                   take over the element (a Plot draws itself)
     unmount(el, id, ctx)          the element leaves the page (a remove op): let go of it
     children(el)                  a container whose children are not its own child elements
                                   (Card: its body); default: el
     data(el, id, op, x, ys, ctx)  a data record (protocol.md): op 1 append, 2 whole window;
                                   x and ys[k] are Float64Arrays over the message, copy them
   ctx: event(id, prop, value), props(id) (the node's props from the doc), ctl(id) (its inner
   control), idOf(el), byId(id), text(v), g(v, p), fmt(format, v) (numbers as the server prints
   them), label(el, id, name). Modules are registered before the first message arrives.
   What several kinds' modules share is a module of web/client/lib/, appended before them:
   pane.lib(NAME, value) offers it, pane.lib(NAME) gets it (an unknown NAME throws).

   Hydration: doc.html is parsed in an inert <template> and compared with #pn-main as a tree
   (tags, attributes sorted, text), so the browser's serialisation (entities, `open=""`,
   attribute order) never counts as a change. Equal: the DOM is not touched (no flash); else
   #pn-main's children are replaced. Local changes are written to the attributes as well
   (aria-pressed, defaultValue, defaultChecked, defaultSelected), so the page keeps reading
   as the server renders it and a resumed session's doc still compares equal. */
(() => {
  'use strict';
  const dataEl = document.getElementById('pn-data'), main = document.getElementById('pn-main');
  if (!dataEl || !main || typeof WebSocket !== 'function') return;
  let boot;
  try {
    boot = JSON.parse(dataEl.textContent);
  } catch (e) {
    return console.warn('pane: unreadable #pn-data', e);
  }
  const query = location.search.slice(1);
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${boot.ws}` +
    (query ? '?' + query : '');
  let token = typeof boot.token === 'string' ? boot.token : null;
  let ws = null, connected = false, attempt = 0, retryTimer = 0, leaving = false;
  // Set when the server says this page cannot be live (error "too-big": its document is over
  // the server's bound; "internal": it could not be encoded; close 4413/1011): trying again
  // would fail the same way, so the page says so and stays as it is.
  let fatal = null;
  let docs = 0, hydration = null, queue = [];
  const props = new Map();   // node id -> its props, from doc.root and patches
  const byId = (id) => document.getElementById('pn-' + id);
  const ctl = (id) => document.getElementById(`pn-${id}-input`);
  const idOf = (el) => +el.id.slice(3);
  const widgetOf = (t) => {
    const el = t instanceof Element ? t.closest('[data-pn-kind]') : null;
    return el && areas().some((a) => a.contains(el)) ? el : null;
  };
  const text = (v) => (v == null ? '' : String(v));
  // where nodes live: the main area and, when the app has one, the sidebar (pn_sidebar)
  const sidebar = (make) => {
    let a = document.getElementById('pn-sidebar');
    if (!a && make) {
      a = document.createElement('aside');
      a.className = 'pn-sidebar';
      a.id = 'pn-sidebar';
      main.before(a);
    }
    return a;
  };
  const areas = () => [main, sidebar(false)].filter(Boolean);
  const allOf = (sel) => areas().flatMap((a) => [...a.querySelectorAll(sel)]);

  /* numbers as the server prints them (src/doc/number.c): %.{p}g, shortest, "{value:.2f}" */
  const strip = (s) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  function g(v, p) {
    const [m, e] = v.toExponential(p - 1).split('e');
    if (e < -4 || e >= p) return `${strip(m)}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
    return strip(v.toFixed(p - 1 - e));
  }
  function shortest(v) {
    if (!Number.isFinite(v) || (Number.isInteger(v) && Math.abs(v) < 1e15)) return String(v);
    for (let p = 1; p < 17; p++) if (+g(v, p) === v) return g(v, p);
    return g(v, 17);
  }
  const fmt = (f, v) => text(f == null ? '{value}' : f).replace(/\{value(?::\.(\d+)f)?\}/g,
    (m, n) => (n === undefined ? shortest(v) : +n <= 20 ? (v === 0 ? 0 : v).toFixed(+n) : m));

  const kinds = Object.create(null); // kind name -> its module
  const kindOf = (el) => kinds[el.dataset.pnKind] || {};
  // A kind's module that comes in a library loaded before this file (client/plot.js) queues
  // itself in window.paneKinds; modules appended to this file call pane.kind.
  const pending = Array.isArray(window.paneKinds) ? window.paneKinds : [];
  function register(name, module) {
    kinds[name] = module;
    if (docs && module.mount) // a doc came first: mount its elements now
      for (const el of allOf(`[data-pn-kind="${name}"]`)) module.mount(el, idOf(el), ctx);
    release(name, module);
  }
  function mountAll() { // after every doc: the kinds that draw client-side take their elements
    for (const el of allOf('[data-pn-kind]')) {
      const k = kindOf(el);
      if (k.mount) k.mount(el, idOf(el), ctx);
    }
  }

  function label(el, id, name) { // TextInput, Select: a label before the control, or none
    let l = el.querySelector(':scope > label');
    if (name == null) return l && l.remove();
    if (!l) {
      l = document.createElement('label');
      l.className = 'pn-widget-label';
      l.htmlFor = `pn-${id}-input`;
      el.prepend(l);
    }
    l.textContent = name;
  }

  const ctx = Object.freeze({
    event: (id, prop, value) => send({ t: 'event', id, prop, value }),
    props: (id) => props.get(id) || {},
    ctl, idOf, byId, text, g, fmt, label,
  });

  /* ---- the socket ---- */
  function connect() {
    retryTimer = 0;
    let sock;
    try {
      sock = ws = new WebSocket(url);
    } catch (e) {
      console.warn('pane: cannot open', url, e);
      return retry();
    }
    let opened = false;
    sock.onopen = () => {
      opened = true;
      sock.send(JSON.stringify({ t: 'hello', v: 2, token, query }));
    };
    sock.binaryType = 'arraybuffer';
    sock.onmessage = (e) => sock === ws && (typeof e.data === 'string' ? receive(e.data) : data(e.data));
    sock.onclose = (e) => {
      if (sock !== ws) return;
      ws = null;
      connected = false;
      if (!fatal && (e.code === 4413 || e.code === 1011)) fatal = e.reason || 'server error';
      if (fatal) return stop(fatal);
      if (leaving) return;
      if (opened) return retry(e.code);
      // refused before it opened: with --basic-auth the login may be over (it expired, or
      // the user logged out in another tab); then the page goes to the login page
      loginOver().then((over) => (over ? location.reload() : retry()));
    };
  }

  // PREFIX/login answers its form (200, X-Pane-Login) only to a visitor who must log in; a
  // logged-in one gets a redirect, and a server without --basic-auth has no such page
  async function loginOver() {
    try {
      const prefix = document.body.dataset.pnPrefix || '';
      const r = await fetch(`${prefix}/login`,
        { method: 'HEAD', redirect: 'manual', cache: 'no-store' });
      return r.status === 200 && r.headers.has('x-pane-login');
    } catch {
      return false;
    }
  }

  function retry(code) { // 0.5 s doubling to 10 s, ±20 % jitter
    indicator(true);
    let delay = Math.min(10000, 500 * 2 ** attempt) * (0.8 + 0.4 * Math.random());
    // --dev: the server went away because the app was compiled again; its next worker is
    // up already (it was ready before this one was told to go): at once, then every 100 ms
    if (boot.dev && (code === 1001 || attempt > 0) && attempt < 50) delay = attempt ? 100 : 0;
    attempt = Math.min(attempt + 1, 10);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, Math.min(10000, delay));
  }

  // --dev: the compiler's messages after a save that did not compile, over everything until
  // a save that does (its new worker's doc) or the server says they are gone
  function devError(msg) {
    let el = document.querySelector('.pn-dev-error');
    if (msg == null || msg === '') return el && el.remove();
    if (!el) {
      el = document.createElement('div');
      el.className = 'pn-dev-error';
      el.setAttribute('role', 'alert');
      const h = document.createElement('h2');
      h.textContent = 'The app does not compile';
      const note = document.createElement('p');
      note.textContent = 'The page shows the last version that did. Save a fix: this goes away.';
      el.append(h, note, document.createElement('pre'));
      document.body.append(el);
    }
    el.querySelector('pre').textContent = text(msg);
  }

  function stop(msg) { // no more retries: a notice in place of "Reconnecting…"
    clearTimeout(retryTimer);
    indicator(false);
    const spinner = document.getElementById('pn-loading');
    if (spinner) spinner.remove();
    if (document.querySelector('.pn-fatal')) return;
    const el = document.createElement('div');
    el.className = 'pn-fatal';
    el.setAttribute('role', 'alert');
    el.textContent = `This page is not live: ${msg}. Reload to try again.`;
    document.body.append(el);
  }

  function indicator(on) {
    let el = document.querySelector('.pn-reconnecting');
    if (on && !el) {
      el = document.createElement('div');
      el.className = 'pn-reconnecting';
      el.setAttribute('role', 'status');
      el.setAttribute('aria-live', 'polite');
      document.body.append(el);
      // filled a moment later: screen readers announce changes to live regions they know
      setTimeout(() => el.isConnected && (el.textContent = 'Reconnecting…'), 100);
    } else if (!on && el) {
      el.remove();
    }
  }

  function send(msg) {
    if (connected && ws && ws.readyState === 1) ws.send(JSON.stringify(msg));
    else if (queue.length < 50) queue.push(msg); // sent after the doc if the page was current
  }

  function receive(data) {
    let m;
    try {
      m = JSON.parse(data);
    } catch (e) {
      return console.warn('pane: a message that is not JSON');
    }
    const guard = (f, x) => {
      try {
        f(x);
      } catch (e) {
        console.warn('pane: cannot apply', x, e);
      }
    };
    if (!m || typeof m !== 'object') return;
    if (m.t === 'doc') guard(doc, m), devError(null);
    else if (m.t === 'dev') devError(m.error);
    else if (m.t === 'patch') (Array.isArray(m.ops) ? m.ops : []).forEach((op) => guard(apply, op));
    else if (m.t === 'error') {
      console.warn(`pane: server error ${m.code}: ${m.msg}${m.id ? ` (node ${m.id})` : ''}`);
      if (m.code === 'bad-token' || m.code === 'expired-token') token = null, attempt = 0;
      if (m.code === 'too-big' || m.code === 'internal') fatal = text(m.msg) || m.code;
      // this page's client speaks another protocol version than the server (pane was upgraded
      // while the page was open): the page from the server now comes with a client that fits
      if (m.code === 'version' && !fatal) {
        stop((fatal = 'pane was upgraded; reloading'));
        setTimeout(() => location.reload(), 1000);
      }
    }
  }

  /* ---- data messages (binary): a version byte, 7 bytes of padding, then records of
     {u32 id, u8 op, u8 series, u16 0, u32 n, u32 0} followed by x[n] and each series' y[n],
     little-endian doubles ---- */
  function data(buf) {
    if (!(buf instanceof ArrayBuffer) || buf.byteLength < 8 || new Uint8Array(buf, 0, 1)[0] !== 1)
      return console.warn('pane: a data message pane does not know');
    for (let off = 8; off + 16 <= buf.byteLength;) {
      const h = new DataView(buf, off, 16);
      const id = h.getUint32(0, true), op = h.getUint8(4), k = h.getUint8(5), n = h.getUint32(8, true);
      const end = off + 16 + 8 * n * (1 + k);
      if (end > buf.byteLength) return console.warn('pane: a data record past its message');
      const x = new Float64Array(buf, off + 16, n), ys = [];
      for (let i = 0; i < k; i++) ys.push(new Float64Array(buf, off + 16 + 8 * n * (1 + i), n));
      const el = byId(id), m = el && kindOf(el);
      if (m && m.data) deliver(m, el, id, op, x, ys);
      else if (el) hold(id, op, x, ys); // its kind's library is still loading
      off = end;
    }
  }

  function deliver(m, el, id, op, x, ys) {
    try {
      m.data(el, id, op, x, ys, ctx);
    } catch (e) {
      console.warn('pane: cannot apply data for node', id, e);
    }
  }

  // Records for an element whose module has not come yet (a Plot inserted into a page that had
  // none: its library loads after its first data): kept, a window dropping what came before it,
  // and handed over when the module registers.
  const held = new Map(); // id -> [[op, x, ys]…]
  function hold(id, op, x, ys) {
    const list = op === 2 ? [] : held.get(id) || [];
    if (list.length < 256) list.push([op, x, ys]);
    held.set(id, list);
  }
  function release(name, module) {
    if (!module.data) return;
    for (const [id, list] of held) {
      const el = byId(id);
      if (!el || el.dataset.pnKind !== name) continue;
      held.delete(id);
      for (const [op, x, ys] of list) deliver(module, el, id, op, x, ys);
    }
  }

  /* ---- doc ---- */
  function canon(n) {
    let s = '';
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) s += c.data.replace(/</g, '&lt;');
      if (c.nodeType !== 1 || c.hasAttribute('data-pn-client')) continue; // made here, not sent
      const attrs = [...c.attributes].map((a) => ` ${a.name}=${JSON.stringify(a.value)}`);
      s += `<${c.localName}${attrs.sort().join('')}>${canon(c.content || c)}</>`;
    }
    return s;
  }

  function walk(list) {
    for (const n of Array.isArray(list) ? list : [])
      if (n && typeof n === 'object') props.set(n.id, Object.assign({}, n.props)), walk(n.children);
  }

  // Makes `to`'s children those of `from`, keeping every element whose tag and attributes
  // already match (recursively): only the nodes that differ are replaced.
  function morph(to, from) {
    const a = [...to.childNodes], b = [...from.childNodes];
    if (a.length !== b.length) return void to.replaceChildren(...b);
    for (let i = 0; i < a.length; i++) {
      const x = a[i], y = b[i];
      if (x.nodeType === 1 && y.nodeType === 1 && x.localName === y.localName &&
          x.attributes.length === y.attributes.length &&
          [...x.attributes].every((at) => y.getAttribute(at.name) === at.value) &&
          x.localName !== 'template') morph(x, y);
      else if (x.nodeType === 3 && y.nodeType === 3) { if (x.data !== y.data) x.data = y.data; }
      else if (x.nodeType !== y.nodeType || x.nodeType === 1 || x.nodeType === 3) x.replaceWith(y);
    }
  }

  function doc(d) {
    held.clear(); // a doc is followed by every plot's window
    if (typeof d.token === 'string') token = d.token;
    title(d.title);
    props.clear();
    walk(d.root);
    walk(d.sidebar_root);
    let kept = true;
    const hydrate = (area, html) => { // the area as the server renders it, touched only if not
      const t = document.createElement('template');
      t.innerHTML = html;
      if (canon(t.content) === canon(area)) return;
      if (kept) Object.values(kinds).forEach((k) => k.reset && k.reset(ctx));
      kept = false;
      morph(area, t.content);
    };
    if (typeof d.html === 'string') hydrate(main, d.html);
    if (typeof d.sidebar === 'string') hydrate(sidebar(true), d.sidebar);
    else if (sidebar(false)) (kept = false), sidebar(false).remove(); // a page cached with one
    connected = true;
    attempt = 0;
    docs++;
    hydration = kept ? 'kept' : 'replaced';
    mountAll();
    indicator(false);
    const spinner = document.getElementById('pn-loading'); // --global-loading-spinner
    if (spinner) spinner.remove();
    const q = queue;
    queue = [];
    if (kept) q.forEach(send); // else they were made on a page the server no longer shows
  }

  function title(t) {
    if (typeof t !== 'string') return;
    document.title = t;
    const h = document.querySelector('.pn-header-title');
    if (h) h.textContent = t;
  }

  /* ---- patch ---- */
  function apply(op) { // [id, {changes}], ["title", text] or ["insert", …]; others are ignored
    if (!Array.isArray(op)) return;
    const [id, changes] = op;
    if (id === 'title') return title(changes);
    if (id === 'insert') return insert(op);
    if (id === 'remove') return remove(op[1]);
    if (typeof id !== 'number' || !changes || typeof changes !== 'object') return;
    if (props.has(id)) Object.assign(props.get(id), changes);
    const el = byId(id);
    if (!el) return console.warn('pane: no element for node', id);
    if ('hidden' in changes) el.hidden = !!changes.hidden; // any kind: pn_set_visible
    if (changes.size && typeof changes.size === 'object') // any kind: pn_size
      for (const [k, v] of Object.entries(changes.size))
        if (k === 'stretch') v == null ? el.removeAttribute('data-pn-stretch') : el.setAttribute('data-pn-stretch', v);
        else el.style.setProperty(k, v == null ? '' : String(v));
    const k = kindOf(el);
    if (k.patch) k.patch(el, id, changes, ctx);
  }

  // A kind whose module comes with a library this page did not load (a Plot inserted into a
  // page that had none): the library is loaded now; its module mounts the elements it finds.
  const loaded = new Set();
  function need(list) {
    for (const n of Array.isArray(list) ? list : []) {
      if (!n || typeof n !== 'object') continue;
      const urls = boot.libs && boot.libs[n.kind];
      if (!kinds[n.kind] && Array.isArray(urls) && !loaded.has(n.kind)) {
        loaded.add(n.kind);
        const [css, js] = urls;
        if (css && !document.querySelector(`link[href="${CSS.escape(css)}"]`)) {
          const l = document.createElement('link');
          l.rel = 'stylesheet';
          l.href = css;
          document.head.append(l);
        }
        if (js) {
          const sc = document.createElement('script');
          sc.src = js;
          document.head.append(sc);
        }
      }
      need(n.children);
    }
  }

  // ["remove", ID]: the node and its subtree leave the page (pn_remove, pn_replace); kinds that
  // keep state of their own for an element (a Plot's chart) let it go
  function remove(id) {
    const el = byId(id);
    if (!el) return; // inside one removed before it
    for (const e of [el, ...el.querySelectorAll('[data-pn-kind]')]) {
      const k = kindOf(e), eid = idOf(e);
      if (k.unmount) k.unmount(e, eid, ctx);
      props.delete(eid);
      held.delete(eid);
    }
    const w = el.parentElement; // a container's wrapper of it (data-pn-wrap) goes with it
    (w && w.hasAttribute('data-pn-wrap') ? w : el).remove();
  }

  // ["insert", PARENT, BEFORE, HTML, [NODE]]: a node added to the page (pn_append, pn_insert,
  // pn_servable in a callback), rendered by the server, put before BEFORE (0: last) in PARENT
  // (0: the main area); nothing else on the page is touched.
  function insert([, parent, before, html, tree]) {
    const p = parent > 0 ? byId(parent) : parent === -1 ? sidebar(true) : main;
    if (!p || typeof html !== 'string') return console.warn('pane: no element for node', parent);
    const box = parent > 0 ? (kindOf(p).children || ((e) => e))(p) || p : p;
    const t = document.createElement('template');
    t.innerHTML = html;
    const added = [...t.content.children];
    let next = before ? byId(before) : null;
    while (next && next.parentNode !== box) next = next.parentNode; // its wrapper (Accordion)
    box.insertBefore(t.content, next);
    walk(tree);
    need(tree);
    for (const el of added)
      for (const e of [el, ...el.querySelectorAll('[data-pn-kind]')]) {
        const k = kindOf(e);
        if (e.dataset.pnKind && k.mount) k.mount(e, idOf(e), ctx);
      }
  }

  /* ---- the visitor, by delegation on #pn-main to the kind's module ---- */
  for (const type of ['click', 'input', 'change', 'keydown', 'pointerdown']) {
    document.addEventListener(type, (e) => {
      const el = widgetOf(e.target), k = el && kindOf(el);
      if (k && k[type]) k[type](el, e, ctx);
    });
  }

  /* ---- page life ---- */
  addEventListener('pagehide', () => {
    leaving = true;
    clearTimeout(retryTimer);
  });
  addEventListener('pageshow', (e) => {
    leaving = false;
    if (e.persisted && !ws) connect();
  });
  addEventListener('online', () => retryTimer && !ws && (clearTimeout(retryTimer), connect()));

  const libs = Object.create(null); // name -> what a module of web/client/lib/ offers
  function lib(name, value) {
    if (value !== undefined) return void (libs[name] = value);
    if (!(name in libs)) throw new Error(`pane: no lib ${name}`);
    return libs[name];
  }

  window.pane = Object.freeze({ // docs: docs received; hydration: the last one 'kept'/'replaced'
    state: () => ({ connected, token, docs, hydration, fatal }),
    kind: register,
    lib,
  });
  pending.forEach(([name, module]) => register(name, module));
  // the first message comes after this script (and the kinds' modules appended to it) has run
  connect();
})();
