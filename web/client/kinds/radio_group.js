/* RadioBoxGroup (src/kinds/radio_group.c): radio buttons named pn-N (web/client/lib/choices.js);
   the browser moves the choice with the arrow keys, and each choice is sent as the visitor
   makes it. */
(() => {
  pane.kind('RadioBoxGroup', pane.lib('choices')({
    type: 'radio',
    checks: (value) => (o) => o === value,
    change(el, e, ctx) {
      if (e.target.type !== 'radio' || !e.target.checked) return;
      e.target.closest('.pn-choices').querySelectorAll('input')
        .forEach((i) => { i.defaultChecked = i === e.target; });
      ctx.event(ctx.idOf(el), 'value', e.target.value);
    },
  }));
})();
