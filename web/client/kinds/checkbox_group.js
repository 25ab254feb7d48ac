/* CheckBoxGroup (src/kinds/checkbox_group.c): checkboxes (web/client/lib/choices.js); every
   check and uncheck sends the whole list of checked options, in the options' order. */
(() => {
  pane.kind('CheckBoxGroup', pane.lib('choices')({
    type: 'checkbox',
    checks(value) {
      const on = new Set(Array.isArray(value) ? value : []);
      return (o) => on.has(o);
    },
    change(el, e, ctx) {
      if (e.target.type !== 'checkbox') return;
      const all = [...el.querySelectorAll(':scope > .pn-choices input')];
      all.forEach((i) => { i.defaultChecked = i.checked; });
      ctx.event(ctx.idOf(el), 'value', all.filter((i) => i.checked).map((i) => i.value));
    },
  }));
})();
