/* theme.js: light and dark (pane.css: every colour is light-dark(), resolved by the page's
   color-scheme). <html data-pn-theme> comes from the app's pn_template .theme: "auto" follows
   the system, "light" and "dark" fix one. The header's switch (#pn-theme-toggle, hidden until
   this runs) flips between light and dark and remembers the choice in localStorage, per
   origin, so a cached page is the same bytes for every visitor; ?theme=light|dark (as Panel's)
   chooses for one visit. Whatever changes the theme, this fires 'pn-theme' on document: what
   draws colours itself (a Plot's canvas) draws again. Runs before pane.js's core, whether or
   not the page is live. */
(() => {
  'use strict';
  const KEY = 'pane-theme', root = document.documentElement;
  const system = matchMedia('(prefers-color-scheme: dark)');
  const valid = (t) => t === 'light' || t === 'dark';
  const stored = () => {
    try {
      return localStorage.getItem(KEY);
    } catch (e) {
      return null; // storage refused (a sandboxed frame, privacy settings): the page's theme
    }
  };
  const asked = new URLSearchParams(location.search).get('theme');
  const chosen = valid(asked) ? asked : stored();
  if (valid(chosen)) root.dataset.pnTheme = chosen;
  const dark = () => root.dataset.pnTheme === 'dark' ||
    (root.dataset.pnTheme !== 'light' && system.matches);

  let button = null;
  function show() {
    if (!button) return;
    const d = dark(), name = d ? 'Light theme' : 'Dark theme';
    button.setAttribute('aria-pressed', String(d));
    button.setAttribute('aria-label', name);
    button.title = name;
  }
  function changed() {
    show();
    document.dispatchEvent(new CustomEvent('pn-theme', { detail: { dark: dark() } }));
  }
  function flip() {
    const t = dark() ? 'light' : 'dark';
    root.dataset.pnTheme = t;
    try {
      localStorage.setItem(KEY, t);
    } catch (e) { /* kept for this page only */ }
    changed();
  }
  system.addEventListener('change', () => root.dataset.pnTheme === 'auto' && changed());
  addEventListener('storage', (e) => { // another tab of this origin chose
    if (e.key === KEY && valid(e.newValue) && e.newValue !== root.dataset.pnTheme) {
      root.dataset.pnTheme = e.newValue;
      changed();
    }
  });
  const take = () => {
    button = document.getElementById('pn-theme-toggle');
    if (!button) return;
    button.addEventListener('click', flip);
    show();
    button.hidden = false;
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', take);
  else take();
})();
