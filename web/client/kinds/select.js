/* Select (src/kinds/select.c). */
pane.kind('Select', {
  patch(el, id, c, ctx) {
    const input = ctx.ctl(id) || el;
    for (const [k, v] of Object.entries(c)) {
      if (k === 'disabled') input.disabled = !!v;
      else if (k === 'name') ctx.label(el, id, v);
      else if (k === 'options') {
        const cur = ctx.props(id).value;
        input.replaceChildren(...(Array.isArray(v) ? v : []).map((o) => {
          const e = document.createElement('option');
          e.value = e.textContent = o;
          e.defaultSelected = o === cur;
          return e;
        }));
      } else if (k === 'value') {
        for (const o of input.options) o.selected = o.defaultSelected = o.value === v;
      }
    }
  },
  change(el, e, ctx) {
    for (const o of e.target.options) o.defaultSelected = o.selected;
    ctx.event(ctx.idOf(el), 'value', e.target.value);
  },
});
