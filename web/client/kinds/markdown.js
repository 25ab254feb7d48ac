/* Markdown and HTML (src/kinds/markdown.c, html.c): {html} is the body the server rendered
   (md4c's output, or the app's raw HTML). */
for (const kind of ['Markdown', 'HTML']) {
  pane.kind(kind, {
    patch(el, id, c) {
      if (typeof c.html === 'string') el.innerHTML = c.html;
    },
  });
}
