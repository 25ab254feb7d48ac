/* CheckBoxGroup (src/kinds/checkbox_group.c): checkboxes; every check and uncheck sends the
   whole list of checked options, in the options' order. */
(() => {
  function choice(o, checked, disabled) {
    const l = document.createElement('label'), i = document.createElement('input');
    const span = document.createElement('span');
    l.className = 'pn-choice';
    i.type = 'checkbox';
    i.value = span.textContent = o;
    i.checked = i.defaultChecked = checked;
    i.disabled = disabled;
    l.append(i, ' ', span);
    return l;
  }
  function label(el, id, name) {
    let l = el.querySelector(':scope > .pn-widget-label');
    if (name == null) {
      el.removeAttribute('aria-labelledby');
      return l && l.remove();
    }
    if (!l) {
      l = document.createElement('div');
      l.className = 'pn-widget-label';
      l.id = `pn-${id}-label`;
      el.prepend(l);
    }
    el.setAttribute('aria-labelledby', l.id);
    l.textContent = name;
  }
  pane.kind('CheckBoxGroup', {
    patch(el, id, c, ctx) {
      const box = el.querySelector(':scope > .pn-choices'), p = ctx.props(id);
      const inputs = () => box.querySelectorAll('input');
      const on = (v) => new Set(Array.isArray(v) ? v : []);
      for (const [k, v] of Object.entries(c)) {
        if (k === 'disabled') inputs().forEach((i) => { i.disabled = !!v; });
        else if (k === 'name') label(el, id, v);
        else if (k === 'horizontal') box.classList.toggle('pn-inline', !!v);
        else if (k === 'options') {
          const checked = on(p.value);
          box.replaceChildren(...(Array.isArray(v) ? v : [])
            .map((o) => choice(o, checked.has(o), !!p.disabled)));
        } else if (k === 'value') {
          const checked = on(v);
          inputs().forEach((i) => { i.checked = i.defaultChecked = checked.has(i.value); });
        }
      }
    },
    change(el, e, ctx) {
      if (e.target.type !== 'checkbox') return;
      const all = [...el.querySelectorAll(':scope > .pn-choices input')];
      all.forEach((i) => { i.defaultChecked = i.checked; });
      ctx.event(ctx.idOf(el), 'value', all.filter((i) => i.checked).map((i) => i.value));
    },
  });
})();
