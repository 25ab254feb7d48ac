/* RangeSlider (src/kinds/range_slider.c): two range inputs on one track. A handle cannot pass
   the other; while the visitor drags, the pair is sent at most every 50 ms, with a final send;
   a pair the server sends during a drag is applied when the drag ends. */
(() => {
  const state = new Map(); // node id -> {timer, sent, dragging, pending}
  const num = (v, ctx) => ctx.fmt(null, v); // the shortest text, as the server writes it
  let ctxOf = null;

  const inputs = (el) => el.querySelectorAll(':scope > .pn-range-track > input');
  function of(id) {
    if (!state.has(id)) state.set(id, { timer: 0, sent: '', dragging: false });
    return state.get(id);
  }

  function show(el, id, lo, hi, ctx) { // the label's text and the fill between the handles
    const p = ctx.props(id), span = el.querySelector('.pn-slider-value');
    if (span) span.textContent = `${ctx.fmt(p.format, lo)} … ${ctx.fmt(p.format, hi)}`;
    const [a] = inputs(el), min = +a.min, max = +a.max, w = max > min ? max - min : 1;
    const track = el.querySelector('.pn-range-track');
    // the attribute as the server writes it, so that a resumed doc matches the page
    const f = (v) => ((v - min) / w).toFixed(4);
    track.setAttribute('style', `--lo:${f(lo)};--hi:${f(hi)}`);
  }

  function set(el, id, lo, hi, ctx) {
    const [a, b] = inputs(el);
    a.value = a.defaultValue = num(lo, ctx);
    b.value = b.defaultValue = num(hi, ctx);
    show(el, id, lo, hi, ctx);
    of(id).sent = JSON.stringify([lo, hi]);
  }

  function push(id, s, pair, ctx) {
    s.timer = 0;
    const key = JSON.stringify(pair);
    if (key === s.sent) return;
    s.sent = key;
    s.pending = undefined;
    ctx.event(id, 'value', pair);
    s.timer = setTimeout(() => s.next && push(id, s, s.next, ctx), 50);
  }

  function slide(el, moved, final, ctx) {
    const id = ctx.idOf(el), [a, b] = inputs(el);
    if (+a.value > +b.value) moved.value = moved === a ? b.value : a.value; // no crossing
    const pair = [+a.value, +b.value];
    if (!pair.every(Number.isFinite)) return;
    a.defaultValue = a.value;
    b.defaultValue = b.value;
    show(el, id, pair[0], pair[1], ctx);
    const s = of(id);
    s.next = pair;
    if (final) clearTimeout(s.timer);
    if (final || !s.timer) push(id, s, pair, ctx);
  }

  function endDrag() {
    setTimeout(() => state.forEach((s, id) => {
      if (!s.dragging || !ctxOf) return;
      s.dragging = false;
      const el = ctxOf.byId(id);
      if (s.pending && el) set(el, id, s.pending[0], s.pending[1], ctxOf);
      s.pending = undefined;
    }));
  }
  addEventListener('pointerup', endDrag, true);
  addEventListener('pointercancel', endDrag, true);

  pane.kind('RangeSlider', {
    patch(el, id, c, ctx) {
      const p = ctx.props(id), s = state.get(id), all = inputs(el);
      for (const [k, v] of Object.entries(c)) {
        if (k === 'disabled') all.forEach((i) => { i.disabled = !!v; });
        else if (k === 'name') {
          const l = el.querySelector(':scope > .pn-widget-label');
          l.replaceChildren(...(v == null ? [] : [v + ': ']), l.querySelector('.pn-slider-value'));
          const prefix = v == null ? '' : v + ' ';
          all.forEach((i, n) => i.setAttribute('aria-label', prefix + (n ? 'end' : 'start')));
        } else if (k === 'start' || k === 'end' || k === 'step') {
          const a = { start: 'min', end: 'max', step: 'step' }[k];
          all.forEach((i) => i.setAttribute(a, num(v, ctx)));
        }
      }
      if ('value_start' in c || 'value_end' in c || 'start' in c || 'end' in c || 'format' in c) {
        if (s && s.dragging) s.pending = [p.value_start, p.value_end];
        else set(el, id, p.value_start, p.value_end, ctx);
      }
    },
    input(el, e, ctx) {
      if (e.target.type === 'range') slide(el, e.target, false, ctx);
    },
    change(el, e, ctx) {
      if (e.target.type !== 'range') return;
      slide(el, e.target, true, ctx);
      endDrag();
    },
    pointerdown(el, e, ctx) {
      ctxOf = ctx;
      if (e.target.type === 'range') of(ctx.idOf(el)).dragging = true;
    },
    reset() {
      state.forEach((s) => clearTimeout(s.timer));
      state.clear();
    },
  });
})();
