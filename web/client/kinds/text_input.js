/* TextInput (src/kinds/text_input.c): the value is sent when the visitor commits it (Enter or
   leaving the field), not on every key. */
(() => {
  function commit(el, input, ctx) {
    if (input.value === input.defaultValue) return;
    input.defaultValue = input.value;
    ctx.event(ctx.idOf(el), 'value', input.value);
  }
  pane.kind('TextInput', {
    patch(el, id, c, ctx) {
      const input = ctx.ctl(id) || el;
      for (const [k, v] of Object.entries(c)) {
        if (k === 'disabled') input.disabled = !!v;
        else if (k === 'name') ctx.label(el, id, v);
        else if (k === 'value') {
          input.defaultValue = ctx.text(v);
          if (input.value !== input.defaultValue) input.value = input.defaultValue;
        } else if (k === 'placeholder') {
          if (v == null) input.removeAttribute('placeholder');
          else input.placeholder = v;
        } else if (k === 'max_length') input.maxLength = v;
      }
    },
    change(el, e, ctx) {
      commit(el, e.target, ctx);
    },
    keydown(el, e, ctx) {
      if (e.key === 'Enter' && !e.isComposing) commit(el, e.target, ctx);
    },
  });
})();
