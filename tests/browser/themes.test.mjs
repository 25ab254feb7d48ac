// The four templates, light and dark, on examples/gallery.c (?template=NAME): what a visitor
// sees is the theme asked for (the page's color-scheme and backgrounds), every text pair that
// matters is readable (WCAG contrast: body text 7:1, muted text, links, labels and buttons
// 4.5:1), the system's setting is followed on "auto", the header's switch flips the page and
// its plot, is remembered on reload and in another tab, and is not shown without JavaScript.
// Screenshots: screenshots/theme-NAME-light.png and -dark.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openBrowser, screenshot, startPane, watchPage } from './lib.mjs';
import { waitForDocs } from './live-lib.mjs';

let pane, browser;

before(async () => {
  pane = await startPane({ app: 'examples/gallery.c' });
  browser = await openBrowser({ viewport: { width: 1400, height: 1000 } });
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

// In the page: the contrast of the text of each selector's first element against the
// background it is drawn on (the nearest opaque one up the tree), and the page's scheme.
function measure() {
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const behind = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] >= 0.9)) return c;
    }
    return rgb(getComputedStyle(document.documentElement).backgroundColor || 'rgb(255,255,255)');
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const pairs = {
    'body text': ['.pn-main .pn-markdown p', 7],
    'card title': ['.pn-card-title', 4.5],
    'number name (muted)': ['.pn-number-name', 4.5],
    'widget label': ['.pn-widget-label', 4.5],
    'link': ['.pn-markdown a', 4.5],
    'primary button': ['.pn-button-primary', 4.5],
    'table head': ['.pn-table-sort', 4.5],
    'table cell': ['.pn-table td', 4.5],
    'sidebar text': ['.pn-sidebar .pn-markdown p', 7],
    'header title': ['.pn-header-title', 4.5],
    'tab': ['[role="tab"]', 4.5],
  };
  const out = {};
  for (const [name, [sel, min]] of Object.entries(pairs)) {
    const el = document.querySelector(sel);
    if (!el) continue;
    out[name] = { ratio: ratio(rgb(getComputedStyle(el).color), behind(el)), min };
  }
  const bg = behind(document.querySelector('.pn-main'));
  return { pairs: out, scheme: getComputedStyle(document.documentElement).colorScheme,
    theme: document.documentElement.dataset.pnTheme, bgLum: lum(bg) };
}

for (const template of ['default', 'material', 'bootstrap', 'fast']) {
  for (const theme of ['light', 'dark']) {
    test(`${template}, ${theme}: the theme asked for, readable`, async () => {
      const page = await browser.newPage();
      const seen = watchPage(page);
      await page.goto(`${pane.url}?template=${template}&theme=${theme}`);
      await waitForDocs(page);
      await page.waitForLoadState('networkidle');
      const m = await page.evaluate(measure);
      assert.equal(m.theme, theme);
      assert.equal(m.scheme, theme);
      assert.ok(theme === 'dark' ? m.bgLum < 0.05 : m.bgLum > 0.8, `page background ${m.bgLum}`);
      assert.ok(Object.keys(m.pairs).length >= (template === 'default' ? 9 : 10), JSON.stringify(m.pairs));
      for (const [name, { ratio, min }] of Object.entries(m.pairs))
        assert.ok(ratio >= min, `${name}: contrast ${ratio.toFixed(2)} < ${min}`);
      const kind = await page.locator('html').getAttribute('class');
      assert.equal(kind, `pn-template-${template}`);
      await screenshot(page, `theme-${template}-${theme}`);
      assert.deepEqual(seen.pageErrors, []);
      assert.deepEqual(seen.consoleErrors, []);
      await page.close();
    });
  }
}

test('auto follows the system; the switch flips the page and its plot, and is remembered', async () => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(pane.url);
  await waitForDocs(page);
  let m = await page.evaluate(measure);
  assert.equal(m.theme, 'auto');
  assert.ok(m.bgLum < 0.05, 'dark system: dark page');
  const toggle = page.locator('#pn-theme-toggle');
  await assert.doesNotReject(toggle.waitFor({ state: 'visible' }));
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.equal(await toggle.getAttribute('aria-label'), 'Light theme');
  await page.emulateMedia({ colorScheme: 'light' });
  // the stylesheet follows the system at once; the switch (and the plot) when the media
  // query's change event reaches theme.js, which may be a frame later
  await eventually(async () => assert.ok((await page.evaluate(measure)).bgLum > 0.8));
  await eventually(async () => assert.equal(await toggle.getAttribute('aria-pressed'), 'false'));

  // the plot's axes and grid are drawn on a canvas: the theme's colours must reach its pixels
  const canvasInk = () => page.locator('.pn-plot canvas').first().evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) >>> 0;
    return h;
  });
  await page.locator('.pn-plot canvas').first().waitFor();
  const light = await canvasInk();
  await toggle.click();
  m = await page.evaluate(measure);
  assert.equal(m.theme, 'dark');
  assert.ok(m.bgLum < 0.05);
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await eventually(async () => assert.notEqual(await canvasInk(), light, 'the plot is drawn again'));

  // remembered: a reload (and another tab) opens dark on a light system
  const other = await browser.newPage();
  await other.goto(pane.url);
  await waitForDocs(other);
  assert.equal((await other.evaluate(measure)).theme, 'dark');
  await toggle.click(); // back to light: the other tab follows
  await eventually(async () => assert.equal((await other.evaluate(measure)).theme, 'light'));
  await page.reload();
  await waitForDocs(page);
  assert.equal((await page.evaluate(measure)).theme, 'light');
  await page.keyboard.press('Tab'); // the switch is a button a keyboard reaches
  await toggle.focus();
  await page.keyboard.press('Enter');
  assert.equal((await page.evaluate(measure)).theme, 'dark');
  await page.evaluate(() => localStorage.removeItem('pane-theme'));
  assert.deepEqual(seen.pageErrors, []);
  assert.deepEqual(seen.consoleErrors, []);
  await other.close();
  await page.close();
});

test('without JavaScript the switch is not shown and the system setting still applies', async () => {
  const nojs = await openBrowser({ javaScriptEnabled: false, colorScheme: 'dark' });
  try {
    const page = await nojs.newPage();
    await page.goto(`${pane.url}?template=fast`);
    assert.equal(await page.locator('#pn-theme-toggle').isVisible(), false);
    const m = await page.evaluate(measure);
    assert.equal(m.scheme, 'light dark');
    assert.ok(m.bgLum < 0.05, 'dark from the system, by CSS alone');
  } finally {
    await nojs.close();
  }
});
