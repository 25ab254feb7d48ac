/* choices: what CheckBoxGroup and RadioBoxGroup (web/client/kinds/checkbox_group.js,
   radio_group.js) share: the group's label (aria-labelledby), its choices made again when the
   options change, and the patch of both. pane.lib('choices')({type, checks, change}) is a
   kind's module for a group of `type` inputs ("checkbox", "radio": named pn-ID, so that the
   browser moves the choice with the arrow keys); checks(value) is the test of an option that
   value checks; change(el, e, ctx) tells the server what the visitor did. */
(() => {
  function choice(type, name, o, checked, disabled) {
    const l = document.createElement('label'), i = document.createElement('input');
    const span = document.createElement('span');
    l.className = 'pn-choice';
    i.type = type;
    if (name) i.name = name;
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

  pane.lib('choices', ({ type, checks, change }) => ({
    patch(el, id, c, ctx) {
      const box = el.querySelector(':scope > .pn-choices'), p = ctx.props(id);
      const inputs = () => box.querySelectorAll('input');
      const name = type === 'radio' ? `pn-${id}` : '';
      for (const [k, v] of Object.entries(c)) {
        if (k === 'disabled') inputs().forEach((i) => { i.disabled = !!v; });
        else if (k === 'name') label(el, id, v);
        else if (k === 'horizontal') box.classList.toggle('pn-inline', !!v);
        else if (k === 'options') {
          const on = checks(p.value);
          box.replaceChildren(...(Array.isArray(v) ? v : [])
            .map((o) => choice(type, name, o, on(o), !!p.disabled)));
        } else if (k === 'value') {
          const on = checks(v);
          inputs().forEach((i) => { i.checked = i.defaultChecked = on(i.value); });
        }
      }
    },
    change,
  }));
})();
