/* DatePicker (src/kinds/date_picker.c): the value is sent when the field holds a whole date
   (picked from the calendar or typed) or is cleared, clamped to min..max as the server does;
   a partly typed date is not sent. */
pane.kind('DatePicker', {
  patch(el, id, c, ctx) {
    const input = ctx.ctl(id) || el;
    for (const [k, v] of Object.entries(c)) {
      if (k === 'disabled') input.disabled = !!v;
      else if (k === 'name') ctx.label(el, id, v);
      else if (k === 'value') {
        input.defaultValue = ctx.text(v);
        if (input.value !== input.defaultValue) input.value = input.defaultValue;
      } else if (k === 'start' || k === 'end') {
        const a = k === 'start' ? 'min' : 'max';
        if (v == null) input.removeAttribute(a);
        else input.setAttribute(a, v);
      }
    }
  },
  change(el, e, ctx) {
    const input = e.target;
    if (input.type !== 'date' || (input.value === '' && input.validity.badInput)) return;
    let v = input.value; // "YYYY-MM-DD" or "" (ISO dates compare as strings)
    if (v && input.min && v < input.min) v = input.min;
    if (v && input.max && v > input.max) v = input.max;
    if (input.value !== v) input.value = v;
    if (v === input.defaultValue) return;
    input.defaultValue = v;
    ctx.event(ctx.idOf(el), 'value', v);
  },
});
