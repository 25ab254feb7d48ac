/* RangeSlider (src/kinds/range_slider.c): two range inputs on one track. A handle cannot pass
   the other; while the visitor drags, the pair goes to the server as web/client/lib/drag.js
   says. */
(() => {
  const num = (v, ctx) => ctx.fmt(null, v); // the shortest text, as the server writes it
  const inputs = (el) => el.querySelectorAll(':scope > .pn-range-track > input');

  function show(el, id, lo, hi, ctx) { // the label's text and the fill between the handles
    const p = ctx.props(id), span = el.querySelector('.pn-slider-value');
    if (span) span.textContent = `${ctx.fmt(p.format, lo)} … ${ctx.fmt(p.format, hi)}`;
    const [a] = inputs(el), min = +a.min, max = +a.max, w = max > min ? max - min : 1;
    const track = el.querySelector('.pn-range-track');
    // the attribute as the server writes it, so that a resumed doc matches the page
    const f = (v) => ((v - min) / w).toFixed(4);
    track.setAttribute('style', `--lo:${f(lo)};--hi:${f(hi)}`);
  }

  const drag = pane.lib('drag')({
    set(el, id, [lo, hi], ctx) {
      const [a, b] = inputs(el);
      a.value = a.defaultValue = num(lo, ctx);
      b.value = b.defaultValue = num(hi, ctx);
      show(el, id, lo, hi, ctx);
    },
    read(el, moved, ctx) {
      const [a, b] = inputs(el);
      if (+a.value > +b.value) moved.value = moved === a ? b.value : a.value; // no crossing
      const pair = [+a.value, +b.value];
      if (!pair.every(Number.isFinite)) return undefined;
      a.defaultValue = a.value;
      b.defaultValue = b.value;
      show(el, ctx.idOf(el), pair[0], pair[1], ctx);
      return pair;
    },
  });

  pane.kind('RangeSlider', {
    ...drag.handlers,
    patch(el, id, c, ctx) {
      const p = ctx.props(id), all = inputs(el);
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
      if ('value_start' in c || 'value_end' in c || 'start' in c || 'end' in c || 'format' in c)
        drag.value(el, id, [p.value_start, p.value_end], ctx);
    },
  });
})();
