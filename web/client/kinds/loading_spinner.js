/* LoadingSpinner (src/kinds/loading_spinner.c): patches carry the changed props by name; value
   switches pn-loading-spinner-on (pane.css turns the ring) and aria-busy, name the label beside
   it. */
pane.kind('LoadingSpinner', {
  patch(el, id, c, ctx) {
    if ('value' in c) {
      el.classList.toggle('pn-loading-spinner-on', !!c.value);
      el.setAttribute('aria-busy', c.value ? 'true' : 'false');
    }
    if (!('name' in c)) return;
    let span = el.querySelector(':scope > .pn-loading-spinner-name');
    el.setAttribute('aria-label', c.name ? ctx.text(c.name) : 'Loading');
    if (!c.name) return void (span && span.remove());
    if (!span) {
      span = document.createElement('span');
      span.className = 'pn-loading-spinner-name';
      el.append(span);
    }
    span.textContent = c.name;
  },
});
