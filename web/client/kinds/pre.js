/* Str (src/kinds/pre.c): {text} is shown as it is. */
pane.kind('Str', {
  patch(el, id, c, ctx) {
    if ('text' in c) el.textContent = ctx.text(c.text);
  },
});
