/* RadioBoxGroup (src/kinds/radio_group.c): radio buttons named pn-N; the browser moves the
   choice with the arrow keys, and each choice is sent as the visitor makes it. */
(() => {
  function choice(el, id, o, checked, disabled) {
    const l = document.createElement('label'), i = document.createElement('input');
    const span = document.createElement('span');
    l.className = 'pn-choice';
    i.type = 'radio';
    i.name = `pn-${id}`;
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
  pane.kind('RadioBoxGroup', {
    patch(el, id, c, ctx) {
      const box = el.querySelector(':scope > .pn-choices'), p = ctx.props(id);
      const inputs = () => box.querySelectorAll('input');
      for (const [k, v] of Object.entries(c)) {
        if (k === 'disabled') inputs().forEach((i) => { i.disabled = !!v; });
        else if (k === 'name') label(el, id, v);
        else if (k === 'horizontal') box.classList.toggle('pn-inline', !!v);
        else if (k === 'options') {
          box.replaceChildren(...(Array.isArray(v) ? v : [])
            .map((o) => choice(el, id, o, o === p.value, !!p.disabled)));
        } else if (k === 'value') {
          inputs().forEach((i) => { i.checked = i.defaultChecked = i.value === v; });
        }
      }
    },
    change(el, e, ctx) {
      if (e.target.type !== 'radio' || !e.target.checked) return;
      e.target.closest('.pn-choices').querySelectorAll('input')
        .forEach((i) => { i.defaultChecked = i === e.target; });
      ctx.event(ctx.idOf(el), 'value', e.target.value);
    },
  });
})();
