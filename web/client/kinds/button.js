/* Button and Toggle (src/kinds/button.c, toggle.c): a click is {clicks} for a Button, the new
   {value} for a Toggle, which shows it at once (aria-pressed). */
for (const kind of ['Button', 'Toggle']) {
  pane.kind(kind, {
    patch(el, id, c, ctx) {
      for (const [k, v] of Object.entries(c)) {
        if (k === 'disabled') el.disabled = !!v;
        else if (k === 'label') el.textContent = ctx.text(v);
        else if (k === 'button_type') el.className = `pn-${kind.toLowerCase()} pn-button-${v || 'default'}`;
        else if (k === 'value') el.setAttribute('aria-pressed', String(!!v));
      }
    },
    click(el, e, ctx) {
      if (el.disabled) return;
      if (kind === 'Button') return ctx.event(ctx.idOf(el), 'clicks');
      const v = el.getAttribute('aria-pressed') !== 'true';
      el.setAttribute('aria-pressed', String(v));
      ctx.event(ctx.idOf(el), 'value', v);
    },
  });
}
