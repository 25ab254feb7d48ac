/* Image (src/kinds/image.c): {src, width, height} is another picture ("" and 0: none, the alt
   text shows), {alt} and {caption} its texts. Written as attributes, as the server renders
   them, so that a resumed session's doc compares equal. */
pane.kind('Image', {
  patch(el, id, c, ctx) {
    const img = el.querySelector(':scope > img');
    if (!img) return;
    const attr = (name, v) => (v ? img.setAttribute(name, v) : img.removeAttribute(name));
    if ('src' in c) attr('src', ctx.text(c.src));
    if ('width' in c) attr('width', c.width ? String(c.width) : '');
    if ('height' in c) attr('height', c.height ? String(c.height) : '');
    if ('alt' in c) img.setAttribute('alt', ctx.text(c.alt));
    if ('caption' in c) {
      let cap = el.querySelector(':scope > figcaption');
      if (!c.caption) return cap && cap.remove();
      if (!cap) {
        cap = document.createElement('figcaption');
        cap.className = 'pn-image-caption';
        el.append(cap);
      }
      cap.textContent = ctx.text(c.caption);
    }
  },
});
