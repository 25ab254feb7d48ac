/* Number (src/kinds/number.c): the server sends what it rendered — {text} the formatted value,
   {color} the colour (null: none), {name} the label (null: none). */
pane.kind('Number', {
  patch(el, id, c, ctx) {
    const value = el.querySelector(':scope > .pn-number-value');
    if ('text' in c && value) value.textContent = ctx.text(c.text);
    if ('color' in c && value) value.style.color = c.color == null ? '' : c.color;
    if (!('name' in c)) return;
    let name = el.querySelector(':scope > .pn-number-name');
    if (c.name == null) return void (name && name.remove());
    if (!name) {
      name = document.createElement('div');
      name.className = 'pn-number-name';
      name.style.fontSize = ctx.props(id).title_size || '18pt';
      el.prepend(name);
    }
    name.textContent = c.name;
  },
});
