/* JSON (src/kinds/json.c): {html} is the tree the server rendered. The levels the visitor
   opened or closed are kept where the same path is still there. */
pane.kind('JSON', {
  patch(el, id, c) {
    if (typeof c.html !== 'string') return;
    const opened = new Map(); // path of keys -> open
    const path = (d) => {
      const keys = [];
      for (let n = d; n && n !== el; n = n.parentElement) {
        if (n.localName !== 'details') continue;
        const k = n.querySelector(':scope > summary > .pn-json-key');
        keys.unshift(k ? k.textContent : '');
      }
      return keys.join('\u0000');
    };
    el.querySelectorAll('details.pn-json-node').forEach((d) => opened.set(path(d), d.open));
    el.innerHTML = c.html;
    el.querySelectorAll('details.pn-json-node').forEach((d) => {
      const p = path(d);
      if (opened.has(p)) d.open = opened.get(p);
    });
  },
});
