/* ColorPicker (src/kinds/color_picker.c): the colour is sent when the visitor closes the
   chooser ('change'); while it is open ('input') only the shown text follows. */
(() => {
  const shown = (el) => el.querySelector('.pn-color-value');
  pane.kind('ColorPicker', {
    patch(el, id, c, ctx) {
      const input = ctx.ctl(id) || el;
      for (const [k, v] of Object.entries(c)) {
        if (k === 'disabled') input.disabled = !!v;
        else if (k === 'name') ctx.label(el, id, v);
        else if (k === 'value') {
          input.defaultValue = input.value = ctx.text(v);
          shown(el).textContent = ctx.text(v);
        }
      }
    },
    input(el, e) {
      if (e.target.type === 'color') shown(el).textContent = e.target.value;
    },
    change(el, e, ctx) {
      const input = e.target;
      if (input.type !== 'color') return;
      shown(el).textContent = input.value;
      if (input.value.toLowerCase() === input.defaultValue.toLowerCase()) return;
      input.defaultValue = input.value;
      ctx.event(ctx.idOf(el), 'value', input.value);
    },
  });
})();
