/* TextAreaInput (src/kinds/text_area_input.c): the value is sent when the visitor commits it
   (leaving the field, or Ctrl+Enter), not on every key; Enter is a new line. */
(() => {
  function commit(el, input, ctx) {
    if (input.value === input.defaultValue) return;
    input.defaultValue = input.value;
    ctx.event(ctx.idOf(el), 'value', input.value);
  }
  pane.kind('TextAreaInput', {
    patch(el, id, c, ctx) {
      const input = ctx.ctl(id) || el;
      for (const [k, v] of Object.entries(c)) {
        if (k === 'disabled') input.disabled = !!v;
        else if (k === 'name') ctx.label(el, id, v);
        else if (k === 'value') {
          const t = ctx.text(v);
          if (input.value !== t) input.value = t; // in place: focus and the caret stay
          input.defaultValue = t;
        } else if (k === 'placeholder') {
          if (v == null) input.removeAttribute('placeholder');
          else input.placeholder = v;
        } else if (k === 'max_length') input.maxLength = v;
        else if (k === 'rows') input.rows = v;
      }
    },
    change(el, e, ctx) {
      commit(el, e.target, ctx);
    },
    keydown(el, e, ctx) {
      const send = e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.isComposing;
      if (send) commit(el, e.target, ctx);
    },
  });
})();
