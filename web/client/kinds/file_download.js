/* FileDownload (src/kinds/file_download.c): a click asks the app to make the file ({clicks});
   the patch that answers carries it ({file: {name, mime, data: base64}}), which is saved as a
   download. */
pane.kind('FileDownload', {
  click(el, e, ctx) {
    if (!el.disabled) ctx.event(ctx.idOf(el), 'clicks');
  },
  patch(el, id, c, ctx) {
    if ('label' in c) el.textContent = ctx.text(c.label);
    if ('disabled' in c) el.disabled = !!c.disabled;
    if ('button_type' in c) el.className = `pn-button pn-file-download pn-button-${c.button_type || 'default'}`;
    const f = c.file;
    if (!f || typeof f.data !== 'string') return;
    const bin = atob(f.data), bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const url = URL.createObjectURL(new Blob([bytes], { type: f.mime || 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = f.name || 'download';
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  },
});
