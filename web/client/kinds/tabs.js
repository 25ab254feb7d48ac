/* Tabs (src/kinds/tabs.c): a click or the arrow keys show a tab at once and tell the server
   ({active: I}); a patch {active} from the app shows its tab, and {tabs} (panels added or
   removed live) makes the row of tabs again. */
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
    if (i < 0 || i >= tabs.length) return;
    show(el, i);
    if (focus) tabs[i].focus();
    ctx.event(ctx.idOf(el), 'active', i);
  }

  pane.kind('Tabs', {
    children: (el) => el.querySelector(':scope > .pn-tabs-panels'),
    patch(el, id, c, ctx) {
      if (Array.isArray(c.tabs)) {
        const list = el.querySelector(':scope > .pn-tabs-list');
        list.replaceChildren(...c.tabs.map((t, i) => {
          const b = document.createElement('button');
          b.type = 'button';
          b.setAttribute('role', 'tab');
          b.className = 'pn-tab';
          b.id = `pn-${id}-tab-${i}`;
          b.setAttribute('aria-controls', `pn-${t.panel}`);
          b.textContent = ctx.text(t.title);
          const panel = ctx.byId(t.panel);
          if (panel) panel.setAttribute('aria-labelledby', b.id);
          return b;
        }));
      }
      if ('active' in c) show(el, +c.active);
    },
    click(el, e, ctx) {
      const t = e.target.closest('[role="tab"]');
      if (t && t.parentElement.parentElement === el) pick(el, tabsOf(el).indexOf(t), ctx, false);
    },
    keydown(el, e, ctx) {
      const t = e.target.closest('[role="tab"]');
      if (!t || t.parentElement.parentElement !== el) return;
      const tabs = tabsOf(el), at = tabs.indexOf(t), last = tabs.length - 1;
      const to = { ArrowRight: at === last ? 0 : at + 1, ArrowLeft: at === 0 ? last : at - 1,
        Home: 0, End: last }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      pick(el, to, ctx, true);
    },
  });
})();
