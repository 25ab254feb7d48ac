/* MultiSelect (src/kinds/multi_select.c): a list box; every change of the selection sends the
   whole list of selected options, in the options' order. */
pane.kind('MultiSelect', {
  patch(el, id, c, ctx) {
    const input = ctx.ctl(id) || el;
    const on = (v) => new Set(Array.isArray(v) ? v : []);
    for (const [k, v] of Object.entries(c)) {
      if (k === 'disabled') input.disabled = !!v;
      else if (k === 'name') ctx.label(el, id, v);
      else if (k === 'size') input.size = v;
      else if (k === 'options') {
        const sel = on(ctx.props(id).value);
        input.replaceChildren(...(Array.isArray(v) ? v : []).map((o) => {
          const e = document.createElement('option');
          e.value = e.textContent = o;
          e.selected = e.defaultSelected = sel.has(o);
          return e;
        }));
      } else if (k === 'value') {
        const sel = on(v);
        for (const o of input.options) o.selected = o.defaultSelected = sel.has(o.value);
      }
    }
  },
  change(el, e, ctx) {
    const opts = [...e.target.options];
    opts.forEach((o) => { o.defaultSelected = o.selected; });
    ctx.event(ctx.idOf(el), 'value', opts.filter((o) => o.selected).map((o) => o.value));
  },
});
