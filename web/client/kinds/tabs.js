/* Tabs (src/kinds/tabs.c): a click or the arrow keys show a tab at once and tell the server
   ({active: I}); a patch {active} from the app shows its tab, and {tabs} (panels added,
   removed, shown or hidden live) makes the row of tabs again, keeping the buttons it had (and
   so the focus). A hidden panel's tab is hidden, and the arrow keys pass over it. */
(() => {
  const tabsOf = (el) => [...el.querySelectorAll(':scope > .pn-tabs-list > [role="tab"]')];
  const panelsOf = (el) => [...el.querySelectorAll(':scope > .pn-tabs-panels > *')];

  function show(el, i) {
    tabsOf(el).forEach((t, k) => {
      t.setAttribute('aria-selected', String(k === i));
      t.tabIndex = k === i ? 0 : -1;
    });
    panelsOf(el).forEach((p, k) => (k === i ? p.removeAttribute('data-pn-inactive')
      : p.setAttribute('data-pn-inactive', '')));
  }

  function pick(el, i, ctx, focus) {
    const tabs = tabsOf(el);
    if (i < 0 || i >= tabs.length || tabs[i].hidden) return;
    show(el, i);
    if (focus) tabs[i].focus();
    ctx.event(ctx.idOf(el), 'active', i);
  }

  function rebuild(el, id, tabs, ctx) {
    const list = el.querySelector(':scope > .pn-tabs-list');
    const had = new Map(tabsOf(el).map((b) => [b.getAttribute('aria-controls'), b]));
    tabs.forEach((t, i) => {
      let b = had.get(`pn-${t.panel}`);
      had.delete(`pn-${t.panel}`);
      if (!b) {
        b = document.createElement('button');
        b.type = 'button';
        b.setAttribute('role', 'tab');
        b.className = 'pn-tab';
        b.setAttribute('aria-controls', `pn-${t.panel}`);
      }
      b.id = `pn-${id}-tab-${i}`;
      b.textContent = ctx.text(t.title);
      b.hidden = !!t.hidden;
      if (list.children[i] !== b) list.insertBefore(b, list.children[i] || null);
      const panel = ctx.byId(t.panel);
      if (panel) panel.setAttribute('aria-labelledby', b.id);
    });
    had.forEach((b) => b.remove());
  }

  pane.kind('Tabs', {
    children: (el) => el.querySelector(':scope > .pn-tabs-panels'),
    patch(el, id, c, ctx) {
      if (Array.isArray(c.tabs)) rebuild(el, id, c.tabs, ctx);
      if ('active' in c) show(el, +c.active);
    },
    click(el, e, ctx) {
      const t = e.target.closest('[role="tab"]');
      if (t && t.parentElement.parentElement === el) pick(el, tabsOf(el).indexOf(t), ctx, false);
    },
    keydown(el, e, ctx) {
      const t = e.target.closest('[role="tab"]');
      if (!t || t.parentElement.parentElement !== el) return;
      const all = tabsOf(el), tabs = all.filter((b) => !b.hidden);
      const at = tabs.indexOf(t), last = tabs.length - 1;
      const to = { ArrowRight: at === last ? 0 : at + 1, ArrowLeft: at <= 0 ? last : at - 1,
        Home: 0, End: last }[e.key];
      if (to === undefined || !tabs[to]) return;
      e.preventDefault();
      pick(el, all.indexOf(tabs[to]), ctx, true);
    },
  });
})();
