// `pane serve --dev`, as an app author uses it: an app and a header it includes in a folder of
// the test's own; the page open in two tabs. A save of the header, then of the app (by
// renaming a new file over it, as editors do), shows in both tabs without a page reload; a
// save that does not compile shows the compiler's file:line messages over the page (also in a
// tab opened after it), and the next good save takes them away.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, openBrowser, screenshot, startPane, watchPage } from './lib.mjs';
import { waitForDocs } from './live-lib.mjs';

let pane, browser, dir;
const app = (body) => `#include <pane.h>
#include "words.h"

void pn_app(pn_session *s)
{
    pn_template(s, .name = "material", .title = "Dev");
    pn_servable(s, pn_card(s, .title = "Words", .items = PN_ITEMS(pn_markdown(s, .text = GREETING))));
    ${body}
}
`;
const save = (name, text) => { // as an editor does: a new file renamed over the old one
  const tmp = join(dir, `.${name}.swp`);
  writeFileSync(tmp, text);
  renameSync(tmp, join(dir, name));
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pane-dev-'));
  writeFileSync(join(dir, 'words.h'), '#define GREETING "Hello"\n');
  writeFileSync(join(dir, 'dev.c'), app(''));
  pane = await startPane({ app: join(dir, 'dev.c'), args: ['--dev'] });
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const words = (page) => page.locator('.pn-markdown').first().textContent();

test('a save shows in every open tab; a compile error is shown over the page until fixed', async (t) => {
  const a = await browser.newPage({ viewport: { width: 1000, height: 640 } });
  const b = await browser.newPage();
  const seen = watchPage(a);
  t.after(() => Promise.all([a.close(), b.close()]));
  for (const p of [a, b]) {
    await p.goto(pane.url);
    await waitForDocs(p);
    await p.evaluate(() => (window.__same = true)); // gone if the page is loaded again
  }
  assert.equal((await words(a)).trim(), 'Hello');

  // a header the app includes
  writeFileSync(join(dir, 'words.h'), '#define GREETING "Hello again"\n');
  for (const p of [a, b]) await eventually(async () => assert.equal((await words(p)).trim(), 'Hello again'), 10000);

  // the app itself, renamed into place
  save('dev.c', app('pn_servable(s, pn_number(s, .name = "Answer", .value = 42));'));
  for (const p of [a, b]) {
    await p.locator('.pn-number', { hasText: 'Answer' }).waitFor({ timeout: 10000 });
    assert.equal(await p.evaluate(() => window.__same), true, 'updated in place, not reloaded');
  }

  // a save that does not compile: the compiler's messages, with the file and line
  save('dev.c', app('pn_servable(s, pn_number(s, .name = "Answer", .value = 42)) /* ; */\n    oops'));
  const overlay = a.locator('.pn-dev-error');
  await overlay.waitFor({ timeout: 10000 });
  const msg = await overlay.locator('pre').textContent();
  assert.match(msg, /dev\.c:\d+:\d+: error/, msg);
  assert.match(await overlay.locator('h2').textContent(), /does not compile/);
  await b.locator('.pn-dev-error').waitFor({ timeout: 3000 });
  // the tabs still show the last version that compiled, live
  assert.equal(await a.locator('.pn-number', { hasText: 'Answer' }).count(), 1);
  await screenshot(a, 'dev-compile-error');
  // a tab opened now sees the error too
  const c = await browser.newPage();
  t.after(() => c.close());
  await c.goto(pane.url);
  await waitForDocs(c);
  await c.locator('.pn-dev-error').waitFor({ timeout: 3000 });

  // fixed: the messages go, the new version shows
  save('dev.c', app('pn_servable(s, pn_number(s, .name = "Answer", .value = 43));'));
  for (const p of [a, b, c]) {
    await p.locator('.pn-dev-error').waitFor({ state: 'detached', timeout: 10000 });
    await eventually(async () => assert.match(await p.locator('.pn-number', { hasText: 'Answer' }).textContent(), /43/), 10000);
  }
  assert.equal(await a.evaluate(() => window.__same), true);
  assert.deepEqual(seen.pageErrors, []);
});
