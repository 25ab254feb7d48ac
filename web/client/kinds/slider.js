/* IntSlider and FloatSlider (src/kinds/int_slider.c, float_slider.c): a range input; while the
   visitor drags, the value goes to the server as web/client/lib/drag.js says. */
(() => {
  const isInt = (el) => el.dataset.pnKind === 'IntSlider';
  const num = (el, v, ctx) => (isInt(el) ? String(v) : ctx.g(v, 17)); // attributes: %ld, %.17g

  function show(el, id, v, ctx) {
    const span = el.querySelector('.pn-slider-value');
    if (span) span.textContent = isInt(el) ? String(v) : ctx.fmt(ctx.props(id).format, v);
  }

  const drag = pane.lib('drag')({
    set(el, id, v, ctx) {
      const input = ctx.ctl(id);
      if (!input || typeof v !== 'number') return false;
      input.defaultValue = input.value = num(el, v, ctx);
      show(el, id, v, ctx);
      return true;
    },
    read(el, input, ctx) {
      const v = isInt(el) ? Math.round(+input.value) : +input.value;
      if (!Number.isFinite(v)) return undefined;
      show(el, ctx.idOf(el), v, ctx);
      input.defaultValue = num(el, v, ctx);
      return v;
    },
  });

  const module = {
    ...drag.handlers,
    patch(el, id, c, ctx) {
      const input = ctx.ctl(id) || el;
      for (const [k, v] of Object.entries(c)) {
        if (k === 'disabled') input.disabled = !!v;
        else if (k === 'name') {
          const l = el.querySelector(':scope > label');
          l.replaceChildren(...(v == null ? [] : [v + ': ']), l.querySelector('.pn-slider-value'));
        } else if (k === 'value') drag.value(el, id, v, ctx);
        else if (k === 'start' || k === 'end' || k === 'step') {
          input.setAttribute({ start: 'min', end: 'max', step: 'step' }[k], num(el, v, ctx));
        } else if (k === 'format') show(el, id, +input.value, ctx);
      }
    },
  };
  pane.kind('IntSlider', module);
  pane.kind('FloatSlider', module);
})();
