/* IntInput and FloatInput (src/kinds/int_input.c, float_input.c). The value is sent when the
   visitor commits it (Enter, leaving the field, the arrows), clamped to the field's bounds
   (and whole for IntInput) as the server would; what is not a number goes back to the last
   value. */
(() => {
  const isInt = (el) => el.dataset.pnKind === 'IntInput';
  const str = (el, v, ctx) => (isInt(el) ? String(v) : ctx.fmt(null, v)); // shortest, as the server

  function commit(el, input, ctx) {
    let v = input.valueAsNumber;
    if (!Number.isFinite(v)) { // empty or not a number
      input.value = input.defaultValue;
      return;
    }
    if (isInt(el)) v = Math.round(v);
    if (input.min !== '' && v < +input.min) v = +input.min;
    if (input.max !== '' && v > +input.max) v = +input.max;
    const s = str(el, v, ctx);
    if (input.value !== s) input.value = s;
    if (s === input.defaultValue) return;
    input.defaultValue = s;
    ctx.event(ctx.idOf(el), 'value', v);
  }

  const module = {
    patch(el, id, c, ctx) {
      const input = ctx.ctl(id) || el;
      for (const [k, v] of Object.entries(c)) {
        if (k === 'disabled') input.disabled = !!v;
        else if (k === 'name') ctx.label(el, id, v);
        else if (k === 'value' && typeof v === 'number') {
          input.defaultValue = str(el, v, ctx);
          if (input.value !== input.defaultValue) input.value = input.defaultValue;
        } else if (k === 'start' || k === 'end' || k === 'step') {
          const a = { start: 'min', end: 'max', step: 'step' }[k];
          if (typeof v !== 'number' || Math.abs(v) >= 9e18) input.removeAttribute(a); // unbounded
          else input.setAttribute(a, str(el, v, ctx));
        }
      }
    },
    change(el, e, ctx) {
      if (e.target.type === 'number') commit(el, e.target, ctx);
    },
    keydown(el, e, ctx) {
      if (e.key === 'Enter' && e.target.type === 'number') commit(el, e.target, ctx);
    },
  };
  pane.kind('IntInput', module);
  pane.kind('FloatInput', module);
})();
