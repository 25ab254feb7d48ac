/* pane.js: the live-session client (docs/internals/protocol.md). One socket per tab: it sends
   hello with the page's token and query, renders the doc and patches it is sent, and reports
   what the visitor does. The server is the authority; the client never decides a value.

   Hydration: doc.html is parsed in an inert <template> and compared with #pn-main as a
   canonical tree (tags, attributes sorted by name, text), so the browser's own serialisation
   (entities, `open` vs `open=""`, attribute order after a patch) never counts as a change.
   Equal: the DOM is left alone (no flash). Different: #pn-main's children are replaced.
   Local changes (a toggle, a slider, a committed text) are written to the attributes too
   (aria-pressed, defaultValue, defaultChecked, defaultSelected), so the DOM keeps reading as
   what the server renders and a resume after a reconnect finds it equal.
   No eval, no inline handlers or styles: works under a strict CSP. */
(() => {
  'use strict';
  const dataEl = document.getElementById('pn-data');
  const main = document.getElementById('pn-main');
  if (!dataEl || !main || typeof WebSocket !== 'function') return;
  let boot;
  try {
    boot = JSON.parse(dataEl.textContent);
  } catch (e) {
    return console.warn('pane: unreadable #pn-data', e);
  }
  const THROTTLE_MS = 50, BACKOFF_MIN_MS = 500, BACKOFF_MAX_MS = 10000;
  const query = location.search.replace(/^\?/, '');
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + boot.ws +
    (query ? '?' + query : '');
  let token = typeof boot.token === 'string' ? boot.token : null;
  let ws = null, connected = false, attempt = 0, retryTimer = 0, leaving = false;
  let docs = 0, hydration = null, queue = [];
  const nodes = new Map();   // id -> props, from doc.root and patches
  const sliders = new Map(); // id -> {value, sent, timer, dragging, pending}

  const byId = (id) => document.getElementById('pn-' + id);
  const ctl = (id) => document.getElementById(`pn-${id}-input`);
  const idOf = (el) => +el.id.slice(3);
  const widgetOf = (t) => {
    const el = t instanceof Element ? t.closest('[data-pn-kind]') : null;
    return el && main.contains(el) ? el : null;
  };

  /* ---- numbers as the server prints them (src/doc/number.c) ---- */
  const strip = (s) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  function g(v, p) { // C's %.{p}g
    const x = +v.toExponential(p - 1).split('e')[1];
    if (x < -4 || x >= p) {
      const [m] = v.toExponential(p - 1).split('e');
      return strip(m) + 'e' + (x < 0 ? '-' : '+') + String(Math.abs(x)).padStart(2, '0');
    }
    return strip(v.toFixed(p - 1 - x));
  }
  function shortest(v) {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v === 0 ? 0 : v);
    for (let p = 1; p < 17; p++) if (+g(v, p) === v) return g(v, p);
    return g(v, 17);
  }
  const fmt = (f, v) => (f == null ? '{value}' : f).replace(/\{value(?::\.(\d+)f)?\}/g,
    (m, n) => (n === undefined ? shortest(v) : +n <= 20 ? (v === 0 ? 0 : v).toFixed(+n) : m));

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
    sock.onopen = () => sock.send(JSON.stringify({ t: 'hello', v: 1, token, query }));
    sock.onmessage = (e) => sock === ws && receive(e.data);
    sock.onclose = () => {
      if (sock !== ws) return;
      ws = null;
      connected = false;
      if (!leaving) retry();
    };
  }

  function retry() {
    indicator(true);
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
    attempt = Math.min(attempt + 1, 10);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, Math.min(BACKOFF_MAX_MS, base * (0.8 + 0.4 * Math.random())));
  }

  function indicator(on) {
    let el = document.querySelector('.pn-reconnecting');
    if (on && !el) {
      el = document.createElement('div');
      el.className = 'pn-reconnecting';
      el.setAttribute('role', 'status');
      el.setAttribute('aria-live', 'polite');
      document.body.append(el);
      // filled a moment later, so screen readers see a change in a live region they know
      setTimeout(() => el.isConnected && (el.textContent = 'Reconnecting…'), 100);
    } else if (!on && el) {
      el.remove();
    }
  }

  function send(msg) {
    if (connected && ws && ws.readyState === 1) ws.send(JSON.stringify(msg));
    else if (queue.length < 50) queue.push(msg); // sent after the doc, if the page was current
  }
  const event = (id, prop, value) =>
    send(value === undefined ? { t: 'event', id, prop } : { t: 'event', id, prop, value });

  function receive(text) {
    let m;
    try {
      m = JSON.parse(text);
    } catch (e) {
      return console.warn('pane: a message that is not JSON');
    }
    if (!m || typeof m !== 'object') return;
    if (m.t === 'doc') {
      try {
        doc(m);
      } catch (e) {
        console.warn('pane: cannot apply the document', e);
      }
    } else if (m.t === 'patch') {
      for (const op of Array.isArray(m.ops) ? m.ops : []) {
        try {
          apply(op);
        } catch (e) {
          console.warn('pane: cannot apply', op, e);
        }
      }
    } else if (m.t === 'error') {
      console.warn(`pane: server error ${m.code}: ${m.msg}${m.id ? ` (node ${m.id})` : ''}`);
      if (m.code === 'bad-token' || m.code === 'expired-token') {
        token = null; // the next hello gets a fresh session from the query
        attempt = 0;
      }
    }
  }

  /* ---- doc: hydrate or replace ---- */
  function canon(n) {
    let s = '';
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1) {
        const attrs = [...c.attributes].map((a) => ` ${a.name}=${JSON.stringify(a.value)}`);
        s += `<${c.localName}${attrs.sort().join('')}>${canon(c.content || c)}</>`;
      } else if (c.nodeType === 3) {
        s += c.data.replace(/</g, '&lt;');
      }
    }
    return s;
  }

  function walk(list) {
    for (const n of Array.isArray(list) ? list : []) {
      if (!n || typeof n !== 'object') continue;
      nodes.set(n.id, Object.assign({}, n.props));
      walk(n.children);
    }
  }

  function doc(d) {
    if (typeof d.token === 'string') token = d.token;
    title(d.title);
    nodes.clear();
    walk(d.root);
    let kept = true;
    if (typeof d.html === 'string') {
      const t = document.createElement('template');
      t.innerHTML = d.html;
      if (canon(t.content) !== canon(main)) {
        kept = false;
        for (const s of sliders.values()) clearTimeout(s.timer);
        sliders.clear();
        main.replaceChildren(t.content);
      }
    }
    connected = true;
    attempt = 0;
    docs++;
    hydration = kept ? 'kept' : 'replaced';
    indicator(false);
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
  function apply(op) {
    if (!op || typeof op !== 'object') return;
    if (op.op === 'title') return title(op.title);
    if (op.op !== 'set') return; // unknown operations are ignored
    const props = op.props && typeof op.props === 'object' ? op.props : {};
    const known = nodes.get(op.id);
    if (known) Object.assign(known, props);
    if (typeof op.html === 'string') {
      const el = byId(op.id);
      if (!el) return console.warn('pane: no element for node', op.id);
      const t = document.createElement('template');
      t.innerHTML = op.html;
      el.replaceWith(t.content);
    } else {
      setProps(op.id, props);
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

  const isInt = (el) => el.dataset.pnKind === 'IntSlider';
  const num = (el, v) => (isInt(el) ? String(v) : g(v, 17)); // the attributes, as %ld / %.17g

  function showSlider(el, id, v) {
    const span = el.querySelector('.pn-slider-value');
    const p = nodes.get(id);
    if (span) span.textContent = isInt(el) ? String(v) : fmt(p && p.format, v);
  }

  function setSlider(el, id, v) {
    const input = ctl(id);
    if (!input || typeof v !== 'number') return;
    input.defaultValue = input.value = num(el, v);
    showSlider(el, id, v);
    const s = sliders.get(id);
    if (s) s.sent = s.value = v;
  }

  function setProps(id, props) {
    const el = byId(id);
    if (!el) return;
    const kind = el.dataset.pnKind;
    const input = ctl(id) || (kind === 'Checkbox' ? el.querySelector('input') : el);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'disabled' && kind !== 'Card') {
        input.disabled = !!v;
      } else if (kind === 'Button' || kind === 'Toggle') {
        if (k === 'label') el.textContent = v == null ? '' : v;
        else if (k === 'button_type')
          el.className = `pn-${kind.toLowerCase()} pn-button-${v || 'default'}`;
        else if (k === 'value') el.setAttribute('aria-pressed', String(!!v));
      } else if (kind === 'Checkbox') {
        if (k === 'label') el.querySelector('span').textContent = v == null ? '' : v;
        else if (k === 'value') input.checked = input.defaultChecked = !!v;
      } else if (kind === 'TextInput') {
        if (k === 'name') label(el, id, v);
        else if (k === 'value') {
          input.defaultValue = v == null ? '' : v;
          if (input.value !== input.defaultValue) input.value = input.defaultValue;
        } else if (k === 'placeholder') {
          if (v == null) input.removeAttribute('placeholder');
          else input.placeholder = v;
        } else if (k === 'max_length') input.maxLength = v;
      } else if (kind === 'IntSlider' || kind === 'FloatSlider') {
        if (k === 'name') {
          const l = el.querySelector(':scope > label'), span = l.querySelector('.pn-slider-value');
          l.replaceChildren(...(v == null ? [] : [v + ': ']), span);
        } else if (k === 'value') {
          const s = sliders.get(id);
          if (s && s.dragging) s.pending = v; // applied when the drag ends, unless superseded
          else setSlider(el, id, v);
        } else if (k === 'start' || k === 'end' || k === 'step') {
          input.setAttribute({ start: 'min', end: 'max', step: 'step' }[k], num(el, v));
        } else if (k === 'format') {
          showSlider(el, id, +input.value);
        }
      } else if (kind === 'Select') {
        if (k === 'name') label(el, id, v);
        else if (k === 'options') {
          const cur = nodes.get(id) && nodes.get(id).value;
          input.replaceChildren(...(Array.isArray(v) ? v : []).map((o) => {
            const e = document.createElement('option');
            e.value = e.textContent = o;
            e.defaultSelected = o === cur;
            return e;
          }));
        } else if (k === 'value') {
          for (const o of input.options) o.selected = o.defaultSelected = o.value === v;
        }
      } else if (kind === 'Card') {
        const t = el.querySelector(':scope > .pn-card-header > .pn-card-title');
        if (k === 'title' && t) t.textContent = v == null ? '' : v;
        else if (k === 'collapsed' && el.localName === 'details') el.open = !v;
      }
    }
  }

  /* ---- the visitor's actions, by delegation on #pn-main ---- */
  main.addEventListener('click', (e) => {
    const el = widgetOf(e.target);
    if (!el || el.disabled) return;
    if (el.dataset.pnKind === 'Button') {
      event(idOf(el), 'clicks');
    } else if (el.dataset.pnKind === 'Toggle') {
      const v = el.getAttribute('aria-pressed') !== 'true';
      el.setAttribute('aria-pressed', String(v));
      event(idOf(el), 'value', v);
    }
  });

  function commit(id, input) { // TextInput: Enter or leaving the field
    if (input.value === input.defaultValue) return;
    input.defaultValue = input.value;
    event(id, 'value', input.value);
  }

  function slide(el, input, final) {
    const id = idOf(el);
    const v = isInt(el) ? Math.round(+input.value) : +input.value;
    if (!Number.isFinite(v)) return;
    showSlider(el, id, v);
    input.defaultValue = num(el, v);
    let s = sliders.get(id);
    if (!s) sliders.set(id, (s = { sent: undefined, timer: 0, dragging: false }));
    s.value = v;
    if (final) {
      clearTimeout(s.timer);
      push(id, s);
    } else if (!s.timer) {
      push(id, s);
    }
  }

  function push(id, s) { // sends the latest value, then holds further sends for THROTTLE_MS
    s.timer = 0;
    if (s.value === s.sent) return;
    s.sent = s.value;
    s.pending = undefined;
    event(id, 'value', s.value);
    s.timer = setTimeout(push, THROTTLE_MS, id, s);
  }

  main.addEventListener('input', (e) => {
    const el = widgetOf(e.target);
    if (el && e.target.type === 'range') slide(el, e.target, false);
  });

  main.addEventListener('change', (e) => {
    const el = widgetOf(e.target), t = e.target;
    if (!el) return;
    const id = idOf(el);
    switch (el.dataset.pnKind) {
      case 'Checkbox':
        t.defaultChecked = t.checked;
        return event(id, 'value', t.checked);
      case 'TextInput':
        return commit(id, t);
      case 'Select':
        for (const o of t.options) o.defaultSelected = o.selected;
        return event(id, 'value', t.value);
      case 'IntSlider':
      case 'FloatSlider':
        slide(el, t, true);
        return endDrag();
    }
  });

  main.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.isComposing || e.target.type !== 'text') return;
    const el = widgetOf(e.target);
    if (el && el.dataset.pnKind === 'TextInput') commit(idOf(el), e.target);
  });

  main.addEventListener('pointerdown', (e) => {
    const el = widgetOf(e.target);
    if (!el || e.target.type !== 'range') return;
    const id = idOf(el);
    if (!sliders.has(id)) sliders.set(id, { sent: undefined, timer: 0 });
    sliders.get(id).dragging = true;
  });

  function endDrag() { // after the input's own change event, which may supersede `pending`
    setTimeout(() => {
      for (const [id, s] of sliders) {
        if (!s.dragging) continue;
        s.dragging = false;
        const el = byId(id);
        if (s.pending !== undefined && el) setSlider(el, id, s.pending);
        s.pending = undefined;
      }
    }, 0);
  }
  addEventListener('pointerup', endDrag, true);
  addEventListener('pointercancel', endDrag, true);

  /* ---- page life ---- */
  addEventListener('pagehide', () => {
    leaving = true;
    clearTimeout(retryTimer);
  });
  addEventListener('pageshow', (e) => {
    leaving = false;
    if (e.persisted && !ws) connect();
  });
  addEventListener('online', () => {
    if (!ws && retryTimer) {
      clearTimeout(retryTimer);
      connect();
    }
  });

  window.pane = Object.freeze({
    // for tests: docs counts the docs received, hydration is 'kept' or 'replaced' (the last)
    state: () => ({ connected, token, docs, hydration }),
  });
  connect();
})();
