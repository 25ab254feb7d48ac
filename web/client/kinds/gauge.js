/* Gauge (src/kinds/gauge.c): {html} is the drawing the server rendered; {value} and {text} the
   value for the meter's ARIA attributes. */
pane.kind('Gauge', {
  patch(el, id, c, ctx) {
    if (typeof c.html === 'string') el.innerHTML = c.html;
    if ('value' in c) el.setAttribute('aria-valuenow', String(c.value));
    if ('text' in c) el.setAttribute('aria-valuetext', ctx.text(c.text));
    if ('name' in c) el.setAttribute('aria-label', c.name ? ctx.text(c.name) : 'Gauge');
  },
});
