/* Checkbox (src/kinds/checkbox.c). */
pane.kind('Checkbox', {
  patch(el, id, c, ctx) {
    const input = ctx.ctl(id) || el;
    for (const [k, v] of Object.entries(c)) {
      if (k === 'disabled') input.disabled = !!v;
      else if (k === 'label') el.querySelector('span').textContent = ctx.text(v);
      else if (k === 'value') input.checked = input.defaultChecked = !!v;
    }
  },
  change(el, e, ctx) {
    e.target.defaultChecked = e.target.checked;
    ctx.event(ctx.idOf(el), 'value', e.target.checked);
  },
});
