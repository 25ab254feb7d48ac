/* IntSlider and FloatSlider (src/kinds/int_slider.c, float_slider.c). While the visitor drags,
   the value is sent at most every 50 ms, with a guaranteed final send; a value the server sends
   during a drag is applied when the drag ends, unless the drag superseded it. */
(() => {
  const sliders = new Map(); // node id -> {value, sent, timer, dragging, pending}
  const isInt = (el) => el.dataset.pnKind === 'IntSlider';
  const num = (el, v, ctx) => (isInt(el) ? String(v) : ctx.g(v, 17)); // attributes: %ld, %.17g
  let ctxOf = null; // the core's ctx, kept for the window's pointerup

  function slider(id) {
    if (!sliders.has(id)) sliders.set(id, { sent: undefined, timer: 0, dragging: false });
    return sliders.get(id);
  }

  function show(el, id, v, ctx) {
    const span = el.querySelector('.pn-slider-value');
    if (span) span.textContent = isInt(el) ? String(v) : ctx.fmt(ctx.props(id).format, v);
  }

  function set(el, id, v, ctx) {
    const input = ctx.ctl(id);
    if (!input || typeof v !== 'number') return;
    input.defaultValue = input.value = num(el, v, ctx);
    show(el, id, v, ctx);
    const s = sliders.get(id);
    if (s) s.sent = s.value = v;
  }

  function push(id, s, ctx) { // sends the latest value, then holds further sends for 50 ms
    s.timer = 0;
    if (s.value === s.sent) return;
    s.sent = s.value;
    s.pending = undefined;
    ctx.event(id, 'value', s.value);
    s.timer = setTimeout(push, 50, id, s, ctx);
  }

  function slide(el, input, final, ctx) {
    const id = ctx.idOf(el), v = isInt(el) ? Math.round(+input.value) : +input.value;
    if (!Number.isFinite(v)) return;
    show(el, id, v, ctx);
    input.defaultValue = num(el, v, ctx);
    const s = slider(id);
    s.value = v;
    if (final) clearTimeout(s.timer);
    if (final || !s.timer) push(id, s, ctx);
  }

  function endDrag() { // after the input's own change event, which may supersede `pending`
    setTimeout(() => sliders.forEach((s, id) => {
      if (!s.dragging || !ctxOf) return;
      s.dragging = false;
      const el = ctxOf.byId(id);
      if (s.pending !== undefined && el) set(el, id, s.pending, ctxOf);
      s.pending = undefined;
    }));
  }
  addEventListener('pointerup', endDrag, true);
  addEventListener('pointercancel', endDrag, true);

  const module = {
    patch(el, id, c, ctx) {
      const input = ctx.ctl(id) || el, s = sliders.get(id);
      for (const [k, v] of Object.entries(c)) {
        if (k === 'disabled') input.disabled = !!v;
        else if (k === 'name') {
          const l = el.querySelector(':scope > label');
          l.replaceChildren(...(v == null ? [] : [v + ': ']), l.querySelector('.pn-slider-value'));
        } else if (k === 'value') {
          if (s && s.dragging) s.pending = v; // applied when the drag ends, unless superseded
          else set(el, id, v, ctx);
        } else if (k === 'start' || k === 'end' || k === 'step') {
          input.setAttribute({ start: 'min', end: 'max', step: 'step' }[k], num(el, v, ctx));
        } else if (k === 'format') show(el, id, +input.value, ctx);
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
      if (e.target.type === 'range') slider(ctx.idOf(el)).dragging = true;
    },
    reset() {
      sliders.forEach((s) => clearTimeout(s.timer));
      sliders.clear();
    },
  };
  pane.kind('IntSlider', module);
  pane.kind('FloatSlider', module);
})();
