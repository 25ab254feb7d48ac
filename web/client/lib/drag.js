/* drag: what the sliders (IntSlider and FloatSlider, RangeSlider: web/client/kinds/slider.js,
   range_slider.js) share. While the visitor drags, the value is sent at most every 50 ms, with
   a guaranteed final send; a value the server sends during a drag is applied when the drag
   ends, unless the drag superseded it. pane.lib('drag')({set, read}) takes a kind's
     set(el, id, v, ctx)   puts a value from the server on the page (false: it could not)
     read(el, input, ctx)  the value the visitor moved input to, once shown on the page, or
                           undefined (nothing to send)
   and gives {value(el, id, v, ctx): a value from the server, shown now or when the drag ends;
   handlers: the module's input, change, pointerdown and reset}. */
(() => {
  pane.lib('drag', ({ set, read }) => {
    const drags = new Map(); // node id -> {value, sent (as JSON), timer, dragging, pending}
    const key = (v) => JSON.stringify(v);
    let ctxOf = null; // the core's ctx, kept for the window's pointerup

    function of(id) {
      if (!drags.has(id)) drags.set(id, { sent: undefined, timer: 0, dragging: false });
      return drags.get(id);
    }

    function show(el, id, v, ctx) { // the server's value: on the page, and what it has
      if (set(el, id, v, ctx) === false) return;
      const s = of(id);
      s.sent = key((s.value = v));
    }

    function push(id, s, ctx) { // sends the latest value, then holds further sends for 50 ms
      s.timer = 0;
      if (key(s.value) === s.sent) return;
      s.sent = key(s.value);
      s.pending = undefined;
      ctx.event(id, 'value', s.value);
      s.timer = setTimeout(push, 50, id, s, ctx);
    }

    function slide(el, input, final, ctx) {
      const v = read(el, input, ctx);
      if (v === undefined) return;
      const id = ctx.idOf(el), s = of(id);
      s.value = v;
      if (final) clearTimeout(s.timer);
      if (final || !s.timer) push(id, s, ctx);
    }

    function endDrag() { // after the input's own change event, which may supersede `pending`
      setTimeout(() => drags.forEach((s, id) => {
        if (!s.dragging || !ctxOf) return;
        s.dragging = false;
        const el = ctxOf.byId(id);
        if (s.pending !== undefined && el) show(el, id, s.pending, ctxOf);
        s.pending = undefined;
      }));
    }
    addEventListener('pointerup', endDrag, true);
    addEventListener('pointercancel', endDrag, true);

    return {
      value(el, id, v, ctx) {
        const s = drags.get(id);
        if (s && s.dragging) s.pending = v; // applied when the drag ends, unless superseded
        else show(el, id, v, ctx);
      },
      handlers: {
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
          drags.forEach((s) => clearTimeout(s.timer));
          drags.clear();
        },
      },
    };
  });
})();
