/* Progress (src/kinds/progress.c): patches carry the changed props by name (value, max,
   bar_color, name); the bar is redrawn from the node's merged props. value < 0: indeterminate. */
pane.kind('Progress', {
  patch(el, id, c, ctx) {
    const p = ctx.props(id) || {};
    const track = el.querySelector(':scope > .pn-progress-track');
    const bar = track && track.querySelector('.pn-progress-bar');
    if (!track || !bar) return;
    if ('bar_color' in c) {
      el.className = el.className.replace(/\bpn-color-\w+/, `pn-color-${ctx.text(c.bar_color)}`);
    }
    if ('value' in c || 'max' in c) {
      const max = p.max > 0 ? p.max : 100, v = Number(p.value);
      const busy = !(v >= 0);
      el.classList.toggle('pn-progress-indeterminate', busy);
      track.setAttribute('aria-valuemax', String(max));
      if (busy) {
        track.removeAttribute('aria-valuenow');
        bar.style.width = '';
      } else {
        track.setAttribute('aria-valuenow', String(Math.min(v, max)));
        bar.style.width = `${(100 * Math.min(v, max)) / max}%`;
      }
    }
    if ('name' in c) {
      let name = el.querySelector(':scope > .pn-progress-name');
      if (!c.name) {
        if (name) name.remove();
        track.removeAttribute('aria-labelledby');
        track.setAttribute('aria-label', 'Progress');
        return;
      }
      if (!name) {
        name = document.createElement('div');
        name.className = 'pn-progress-name';
        name.id = `pn-${id}-name`;
        el.prepend(name);
      }
      name.textContent = c.name;
      track.removeAttribute('aria-label');
      track.setAttribute('aria-labelledby', name.id);
    }
  },
});
