/* Trend (src/kinds/trend.c): {html} is the body the server rendered (value, change, sparkline),
   {dir} the direction of the last change (the pn-trend-DIR class). */
pane.kind('Trend', {
  patch(el, id, c, ctx) {
    if (typeof c.html === 'string') el.innerHTML = c.html;
    if ('dir' in c) el.className = el.className.replace(/\bpn-trend-(up|down|flat)\b/,
      `pn-trend-${ctx.text(c.dir)}`);
  },
});
