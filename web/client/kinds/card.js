/* Card (src/kinds/card.c): title and collapsed. */
pane.kind('Card', {
  children: (el) => el.querySelector(':scope > .pn-card-body'),
  patch(el, id, c, ctx) {
    const t = el.querySelector(':scope > .pn-card-header > .pn-card-title');
    if ('title' in c && t) t.textContent = ctx.text(c.title);
    if ('collapsed' in c && el.localName === 'details') el.open = !c.collapsed;
  },
});
