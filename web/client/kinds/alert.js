/* Alert (src/kinds/alert.c): {html} is the body the server rendered from the Markdown,
   {alert_type} the colour (the pn-color-TYPE class). */
pane.kind('Alert', {
  patch(el, id, c, ctx) {
    if (typeof c.html === 'string') el.innerHTML = c.html;
    if ('alert_type' in c) {
      el.className = el.className.replace(/\bpn-color-\w+/, `pn-color-${ctx.text(c.alert_type)}`);
    }
  },
});
