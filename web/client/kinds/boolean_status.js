/* BooleanStatus (src/kinds/boolean_status.c): patches carry the changed props by name; value
   switches pn-boolean-status-on (pane.css fills the dot), color the pn-color-NAME class; the
   dot's label ("NAME: on") is made again from the node's merged props. */
pane.kind('BooleanStatus', {
  patch(el, id, c, ctx) {
    const p = ctx.props(id) || {};
    if ('value' in c) el.classList.toggle('pn-boolean-status-on', !!c.value);
    if ('color' in c) {
      el.className = el.className.replace(/\bpn-color-\w+/, `pn-color-${ctx.text(c.color)}`);
    }
    const dot = el.querySelector(':scope > .pn-boolean-status-dot');
    const label = `${p.name ? `${p.name}: ` : ''}${p.value ? 'on' : 'off'}`;
    if (dot) dot.setAttribute('aria-label', label);
  },
});
